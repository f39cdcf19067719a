/**
 * The explanation catalogue for MIT's files: keytab entries and credential-cache records, named as
 * src/formats/keytab.ts and ccache.ts decode them. No RFC defines these formats; MIT's documentation does.
 */
import type { Catalogue, Field } from './types';

const KT = 'MIT keytab';
const CC = 'MIT ccache';

const principal = (words: string, ref: string): Field => ({ words, ref, type: 'file principal' });
const key = (words: string, ref: string): Field => ({ words, ref, type: 'file key' });

export const FILES_CATALOGUE: Catalogue = {
  keytab: {
    words:
      'A keytab: a file of long-term keys, so a service (or a script) can prove who it is without typing a password.',
    ref: KT,
    fields: {
      version: {
        words: 'The format version: 2 (0x0502) today, big-endian; 1 used the host byte order.',
        ref: KT,
      },
      entries: {
        words: 'The keys, one entry per principal, key version and enctype.',
        ref: KT,
        items: 'keytab entry',
      },
      holes: { words: 'Deleted entries: space left by a removed key, skipped by readers.', ref: KT },
    },
  },
  'keytab entry': {
    words: 'One key of one principal.',
    ref: KT,
    fields: {
      principal: principal('Whose key this is.', KT),
      timestamp: { words: 'When the key was written, in seconds since 1970.', ref: KT },
      kvno: {
        words: 'The key version number; it must match the kvno of the tickets the key should open.',
        ref: KT,
      },
      key: key('The key itself.', KT),
      stored: {
        words:
          'How the key version was stored: an 8-bit field, and a 32-bit one after the key when it is larger.',
        ref: KT,
        type: 'keytab kvno storage',
      },
    },
  },
  'keytab kvno storage': {
    words: 'The two places a keytab keeps the key version.',
    ref: KT,
    fields: {
      kvno8: { words: 'The key version truncated to 8 bits.', ref: KT },
      kvno32: { words: 'The full 32-bit key version, when written; it wins over kvno8.', ref: KT },
      padding: { words: 'Bytes after the entry that no field uses.', ref: KT },
    },
  },
  'file principal': {
    words: 'A principal as a file stores it: realm, name type and components.',
    ref: `${KT}, RFC 4120 §5.2.2`,
    fields: {
      realm: { words: 'The realm.', ref: 'RFC 4120 §5.2.2' },
      name: {
        words: 'The name: its type and components.',
        ref: 'RFC 4120 §5.2.2',
        type: 'file principal name',
      },
    },
  },
  'file principal name': {
    words: 'A principal name.',
    ref: 'RFC 4120 §5.2.2',
    fields: {
      nameType: {
        words: 'The kind of name (1 user, 2 service instance, 3 host-based service…).',
        ref: 'RFC 4120 §6.2',
      },
      nameString: { words: 'The components of the name.', ref: 'RFC 4120 §5.2.2', items: '' },
    },
  },
  'file key': {
    words: 'A key: enctype and bytes.',
    ref: `${KT}, RFC 4120 §5.2.9`,
    fields: {
      etype: { words: 'The enctype of the key.', ref: 'RFC 3961 §8' },
      bytes: { words: 'The key bytes.', ref: 'RFC 4120 §5.2.9' },
    },
  },
  ccache: {
    words: 'A credential cache: the tickets a user holds, with their session keys, as klist shows them.',
    ref: CC,
    fields: {
      version: { words: 'The format version: 4 (0x0504) today; 3 has no header.', ref: CC },
      header: {
        words: 'Version 4 header fields (tag 1 is the KDC time offset).',
        ref: CC,
        items: 'ccache header field',
      },
      kdcOffset: {
        words: "The difference between the KDC's clock and this machine's, learnt after a clock-skew error.",
        ref: CC,
        type: 'ccache time offset',
      },
      defaultPrincipal: principal('Whose cache this is: the client of the initial TGT.', CC),
      credentials: { words: 'The tickets, one record each.', ref: CC, items: 'ccache credential' },
      config: {
        words:
          'Configuration entries MIT stores as fake credentials (X-CACHECONF:), such as fast_avail or pa_type.',
        ref: CC,
        items: 'ccache config entry',
      },
    },
  },
  'ccache header field': {
    words: 'One tagged header field.',
    ref: CC,
    fields: {
      tag: { words: 'Which field: 1 is the KDC time offset.', ref: CC },
      value: { words: 'The field’s bytes.', ref: CC },
    },
  },
  'ccache time offset': {
    words: 'The KDC clock offset.',
    ref: CC,
    fields: {
      seconds: { words: 'Seconds to add to the local clock to get the KDC’s time.', ref: CC },
      microseconds: { words: 'The microseconds of the offset.', ref: CC },
    },
  },
  'ccache credential': {
    words:
      'One ticket with its session key and what the ticket says (copied from the KDC reply, so klist can show it without opening the ticket).',
    ref: CC,
    fields: {
      client: principal('The client of the ticket.', CC),
      server: principal('The service the ticket is for.', CC),
      key: key('The session key.', CC),
      authtime: { words: 'When the client authenticated (seconds since 1970).', ref: `${CC}, RFC 4120 §5.3` },
      starttime: { words: 'When the ticket becomes valid; 0 if not set.', ref: `${CC}, RFC 4120 §5.3` },
      endtime: { words: 'When the ticket expires.', ref: `${CC}, RFC 4120 §5.3` },
      renewTill: { words: 'The latest renewal end time; 0 if not renewable.', ref: `${CC}, RFC 4120 §5.3` },
      isSkey: { words: 'True for a user-to-user ticket encrypted in a session key.', ref: CC },
      ticketFlags: {
        words: "The ticket's flags (RFC 4120 TicketFlags), as klist -f shows them.",
        ref: `${CC}, RFC 4120 §5.3`,
      },
      addresses: { words: 'The addresses the ticket is restricted to.', ref: CC, items: 'ccache address' },
      authData: {
        words: 'Authorization data from the reply (rarely any).',
        ref: CC,
        items: 'ccache authdata',
      },
      ticket: { words: 'The ticket, DER as the KDC sent it.', ref: `${CC}, RFC 4120 §5.3` },
      secondTicket: { words: 'The second ticket of a user-to-user request; usually empty.', ref: CC },
    },
  },
  'ccache config entry': {
    words: 'A configuration setting MIT keeps in the cache.',
    ref: CC,
    fields: {
      key: { words: 'The setting: fast_avail, pa_type, refresh_time, start_realm…', ref: CC },
      principal: { words: 'The principal the setting is about, or none.', ref: CC },
      value: { words: 'The setting’s value.', ref: CC },
      client: principal('The entry’s client (the cache’s default principal).', CC),
      serverNameType: { words: 'The name type of the stored server name (MIT writes 0).', ref: CC },
    },
  },
  'ccache address': {
    words: 'An address.',
    ref: CC,
    fields: {
      addrType: { words: 'The address family.', ref: 'RFC 4120 §7.5.3' },
      address: { words: 'The address bytes.', ref: CC },
    },
  },
  'ccache authdata': {
    words: 'An authorization-data element.',
    ref: CC,
    fields: {
      adType: { words: 'The element type.', ref: 'RFC 4120 §7.5.4' },
      data: { words: 'The element data.', ref: CC },
    },
  },
};
