/**
 * Ticket times (RFC 4120 §3.1.3 for AS, §3.3.3 for TGS): start now unless postdated, end at the earliest
 * of what the client asked, what policy allows and (for TGS) when the presented ticket ends; renewable
 * up to renew-till. Returned with the reasons, so the KDC can narrate why a ticket ends when it does.
 */
import { KdcOption, TicketFlag } from '../asn1/registry';
import { ErrorCode } from '../asn1/registry';
import { formatDuration, isoSeconds, isUnlimited, wholeSeconds } from '../asn1/time';
import { KdcRefusal } from './refusal';

export interface TimeRequest {
  kdcOptions: number;
  from?: Date;
  till: Date;
  rtime?: Date;
}

export interface TimeLimits {
  now: number;
  maxLife: number;
  maxRenew: number;
  maxSkew: number;
  /** TGS: the presented ticket's end and renew-till bound the new ticket (RFC 4120 §3.3.3). */
  ticketEnd?: Date;
  ticketRenewTill?: Date;
  /** Whether renewable tickets are allowed at all (the TGT was renewable, policy maxRenew > 0). */
  renewableAllowed: boolean;
}

export interface TicketTimes {
  starttime: Date;
  endtime: Date;
  renewTill?: Date;
  /** Flags these times imply: RENEWABLE, POSTDATED and INVALID. */
  flags: number;
  /** Why the ticket ends when it does, for the narration. */
  why: string;
}

export function computeTicketTimes(req: TimeRequest, lim: TimeLimits): TicketTimes {
  const now = wholeSeconds(lim.now).getTime();
  let flags = 0;
  let start = now;
  const from = req.from?.getTime();
  if (from !== undefined && from > now + lim.maxSkew) {
    // RFC 4120 §3.1.3: a start in the future needs ALLOW-POSTDATE; the ticket is then issued INVALID
    if (!(req.kdcOptions & KdcOption.ALLOW_POSTDATE) && !(req.kdcOptions & KdcOption.POSTDATED)) {
      throw new KdcRefusal(
        ErrorCode.KDC_ERR_CANNOT_POSTDATE,
        `the request asks for a start time of ${isoSeconds(from)}, in the future, without asking for a postdated ticket`,
      );
    }
    start = from;
    flags |= TicketFlag.POSTDATED | TicketFlag.INVALID;
  }

  const candidates: [number, string][] = [
    [start + lim.maxLife, `the longest ticket life policy allows (${formatDuration(lim.maxLife)})`],
  ];
  if (!isUnlimited(req.till))
    candidates.push([req.till.getTime(), 'the end time the client asked for (till)']);
  if (lim.ticketEnd)
    candidates.push([lim.ticketEnd.getTime(), 'the end of the ticket-granting ticket it was asked with']);
  const [earliest, why] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  const end = wholeSeconds(earliest).getTime();
  if (end <= start) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_NEVER_VALID,
      `the ticket would end (${isoSeconds(end)}) before it starts (${isoSeconds(start)})`,
    );
  }

  let renewTill: number | undefined;
  let renewable = (req.kdcOptions & KdcOption.RENEWABLE) !== 0;
  let rtime = req.rtime && !isUnlimited(req.rtime) ? req.rtime.getTime() : Infinity;
  // RENEWABLE-OK: "if the ticket cannot be as long as asked, make it renewable up to the asked end"
  if (
    !renewable &&
    req.kdcOptions & KdcOption.RENEWABLE_OK &&
    !isUnlimited(req.till) &&
    req.till.getTime() > end
  ) {
    renewable = true;
    rtime = req.till.getTime();
  }
  if (renewable && lim.renewableAllowed && lim.maxRenew > 0) {
    renewTill = Math.min(rtime, start + lim.maxRenew);
    if (lim.ticketRenewTill) renewTill = Math.min(renewTill, lim.ticketRenewTill.getTime());
    renewTill = Math.max(wholeSeconds(renewTill).getTime(), end);
    flags |= TicketFlag.RENEWABLE;
  }
  return {
    starttime: new Date(start),
    endtime: new Date(end),
    ...(renewTill !== undefined ? { renewTill: new Date(renewTill) } : {}),
    flags,
    why,
  };
}
