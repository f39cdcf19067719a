/**
 * The Kerberos client's states and the edges between them, as data: MIT's `STATE_GET_TGT`,
 * `STATE_REFERRALS`… of `krb5_tkt_creds_step`, written as a table the machine moves along and the UI
 * draws.
 *
 * How the machine works
 * ---------------------
 * At rest it is IDLE (or DONE / FAILED after an operation). An operation starts it:
 *
 * - sign-in (as.ts). AS_INITIAL sends an AS-REQ without pre-authentication, as MIT and Windows do, to
 *   learn what the KDC wants. KDC_ERR_PREAUTH_REQUIRED carries ETYPE-INFO2 with the salt (and s2kparams)
 *   for each enctype; the client makes its key from the password with that salt and moves to AS_PREAUTH,
 *   sending PA-ENC-TIMESTAMP. An AS-REP that decrypts and passes every check ends it: the TGT goes into
 *   the cache (which a sign-in starts afresh, as `kinit` does).
 *
 * - service ticket (tgs.ts). The realm comes from the host-to-realm table, else the home realm (see
 *   realm.ts). When that realm is not home and no TGT for it is cached, TGS_GET_TGT asks the home KDC for
 *   krbtgt/TARGET; a KDC without a direct trust answers with krbtgt/NEXT, the next realm on its path,
 *   and the client asks NEXT in turn (MIT's STATE_GET_TGT). With a TGT for the target (or at home from the
 *   start) TGS_REFERRALS asks for the service itself, with canonicalize: a reply whose sname is
 *   krbtgt/OTHER instead of the service is a referral (RFC 6806 §8), followed to OTHER (MIT's
 *   STATE_REFERRALS). Every cross-realm TGT obtained is a hop; more hops than the limit, or a realm seen
 *   twice, stops the chase with a ReferralError.
 *
 * - renew (renew.ts). TGS_RENEW presents a renewable ticket with the RENEW option and stores what comes
 *   back.
 *
 * In any waiting state a KRB-ERROR ends the operation as a KdcError, with two exceptions (flight.ts):
 * KRB_AP_ERR_SKEW when kdc_timesync is on (MIT's default, Windows has none) retries once with the KDC's
 * time from the error; and KRB_ERR_RESPONSE_TOO_BIG asks the caller to send the same bytes again over TCP.
 *
 * A step function names the edge it takes (a trigger); the next state is the `to` of that row, and a
 * retry is offered only where the table has its edge from the current state. So the table the UI draws is
 * the machine that runs.
 */

export type ClientState =
  'IDLE' | 'AS_INITIAL' | 'AS_PREAUTH' | 'TGS_GET_TGT' | 'TGS_REFERRALS' | 'TGS_RENEW' | 'DONE' | 'FAILED';

export type ClientTrigger =
  | 'sign-in'
  | 'get-ticket'
  | 'get-cross-realm-tgt'
  | 'found-in-cache'
  | 'renew'
  | 'cannot-start'
  | 'preauth-required'
  | 'as-rep'
  | 'timesync-retry'
  | 'response-too-big'
  | 'cross-realm-hop'
  | 'reached-target-realm'
  | 'cross-realm-tgt'
  | 'referral'
  | 'service-ticket'
  | 'renewed'
  | 'krb-error'
  | 'bad-reply'
  | 'transport-failure'
  | 'referral-limit';

export interface Transition {
  from: ClientState;
  on: ClientTrigger;
  to: ClientState;
  /** What happens on this edge, for the diagram's label and tooltip. */
  meaning: string;
}

export const AT_REST: readonly ClientState[] = ['IDLE', 'DONE', 'FAILED'];
export const WAITING: readonly ClientState[] = [
  'AS_INITIAL',
  'AS_PREAUTH',
  'TGS_GET_TGT',
  'TGS_REFERRALS',
  'TGS_RENEW',
];

const rows = (from: readonly ClientState[], on: ClientTrigger, to: ClientState | 'same', meaning: string) =>
  from.map((f): Transition => ({ from: f, on, to: to === 'same' ? f : to, meaning }));

/** Every edge the client can take. The machine refuses (as a bug) any move not listed here. */
export const TRANSITIONS: readonly Transition[] = [
  ...rows(
    AT_REST,
    'sign-in',
    'AS_INITIAL',
    'send an AS-REQ without pre-authentication, to learn what the KDC wants',
  ),
  ...rows(
    AT_REST,
    'get-ticket',
    'TGS_REFERRALS',
    'ask for the service with canonicalize, presenting a TGT for that realm',
  ),
  ...rows(
    AT_REST,
    'get-cross-realm-tgt',
    'TGS_GET_TGT',
    'the service is in another realm: ask the home KDC for krbtgt/TARGET',
  ),
  ...rows(
    AT_REST,
    'found-in-cache',
    'DONE',
    'a valid ticket for the service is already cached: nothing to send',
  ),
  ...rows(AT_REST, 'renew', 'TGS_RENEW', 'present the renewable ticket with the RENEW option'),
  ...rows(AT_REST, 'cannot-start', 'FAILED', 'no TGT, or it has expired on our clock: do not bother the KDC'),
  ...rows(
    ['AS_INITIAL'],
    'preauth-required',
    'AS_PREAUTH',
    'KDC_ERR_PREAUTH_REQUIRED: make the key with the salt from ETYPE-INFO2, send PA-ENC-TIMESTAMP',
  ),
  ...rows(
    ['AS_INITIAL', 'AS_PREAUTH'],
    'as-rep',
    'DONE',
    'the AS-REP decrypts and checks out: the TGT goes into the cache',
  ),
  ...rows(
    ['AS_PREAUTH', 'TGS_GET_TGT', 'TGS_REFERRALS', 'TGS_RENEW'],
    'timesync-retry',
    'same',
    'KRB_AP_ERR_SKEW with kdc_timesync: adopt the KDC time from the error and retry once',
  ),
  ...rows(
    WAITING,
    'response-too-big',
    'same',
    'KRB_ERR_RESPONSE_TOO_BIG: send the same request again over TCP',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'cross-realm-hop',
    'TGS_GET_TGT',
    'got krbtgt/NEXT, a realm on the path: ask NEXT for krbtgt/TARGET',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'reached-target-realm',
    'TGS_REFERRALS',
    'got krbtgt/TARGET: ask TARGET for the service',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'cross-realm-tgt',
    'DONE',
    'the cross-realm TGT itself was asked for: it is in the cache',
  ),
  ...rows(
    ['TGS_REFERRALS'],
    'referral',
    'TGS_REFERRALS',
    'a TGT krbtgt/OTHER came instead of the service: follow the referral to OTHER',
  ),
  ...rows(
    ['TGS_REFERRALS'],
    'service-ticket',
    'DONE',
    'the service ticket checks out: it goes into the cache',
  ),
  ...rows(['TGS_RENEW'], 'renewed', 'DONE', 'the renewed ticket replaces the old one in the cache'),
  ...rows(WAITING, 'krb-error', 'FAILED', 'the KDC refused: a KdcError with its code and e-text'),
  ...rows(WAITING, 'bad-reply', 'FAILED', 'the reply fails a check (decrypt, nonce, names, times): dropped'),
  ...rows(WAITING, 'transport-failure', 'FAILED', 'no KDC answered (timeout, unreachable)'),
  ...rows(
    ['TGS_GET_TGT', 'TGS_REFERRALS'],
    'referral-limit',
    'FAILED',
    'too many hops, or a realm seen twice',
  ),
];

/** The row for `on` from `from`, if the machine may take that edge. */
export function edge(from: ClientState, on: ClientTrigger): Transition | undefined {
  return TRANSITIONS.find((r) => r.from === from && r.on === on);
}
