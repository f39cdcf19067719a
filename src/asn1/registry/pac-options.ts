/**
 * PA-PAC-OPTIONS flags (padata 167): what a Windows client asks of the PAC (MS-KILE §2.2.10), plus the
 * resource-based constrained delegation bit (MS-SFU §2.2.5). MIT's KDC understands only that last one and
 * echoes just it back.
 */
import { defineFlagRegistry, flagConstantsOf, type FlagEntry, type FlagSpec } from './flags';

const pacOptionTable = [
  {
    value: 0,
    key: 'CLAIMS',
    name: 'claims',
    rfcName: 'Claims',
    summary: 'The client understands claims (Dynamic Access Control attributes) in the PAC.',
    source: 'MS-KILE §2.2.10',
  },
  {
    value: 1,
    key: 'BRANCH_AWARE',
    name: 'branch-aware',
    rfcName: 'Branch Aware',
    summary: 'The client knows about read-only domain controllers and branch-office tickets.',
    source: 'MS-KILE §2.2.10',
  },
  {
    value: 2,
    key: 'FORWARD_TO_FULL_DC',
    name: 'forward-to-full-dc',
    rfcName: 'Forward to Full DC',
    summary: 'Asks a read-only domain controller to pass the request on to a writable one.',
    source: 'MS-KILE §2.2.10',
  },
  {
    value: 3,
    key: 'RESOURCE_BASED_CONSTRAINED_DELEGATION',
    name: 'resource-based-constrained-delegation',
    rfcName: 'resource-based constrained delegation',
    aliases: ['rbcd'],
    summary: 'S4U2proxy where the target service, not the requester, decides who may delegate to it.',
    source: 'MS-SFU §2.2.5',
  },
] as const satisfies readonly FlagSpec[];

/** The PA-PAC-OPTIONS flag registry: `value` is the bit number (0 = 0x80000000). */
export const pacOptions = defineFlagRegistry<FlagEntry>('PAC option', pacOptionTable);

/** Masks: `PacOption.RESOURCE_BASED_CONSTRAINED_DELEGATION === 0x10000000`, … */
export const PacOption = flagConstantsOf(pacOptionTable);
