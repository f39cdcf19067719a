/**
 * The explanation catalogue for the DER side: every field of every Kerberos message and structure the
 * decoder names (RFC 4120 and its extensions, FAST, the KDC proxy, GSS-API and SPNEGO framing), keyed by
 * the name the tree gives it. A structure lists its fields by their RFC names; a field says which
 * structure it holds (`type`) or, for a SEQUENCE OF, what each item is (`items`). The words are for a
 * new engineer: what the field is for, in one or two sentences.
 */
import type { Catalogue, Field } from './types';

const R = 'RFC 4120';

// ---- fields that many structures share ---------------------------------------------------------------

const pvno = (where: string): Field => ({
  words: `The Kerberos protocol version of this ${where}: always 5.`,
  ref: `${R} §5.4.1, §7.5.6`,
});
const msgType = (what: string): Field => ({
  words: `Which message this is: ${what}. A receiver checks it before reading anything else.`,
  ref: `${R} §5.10, §7.5.7`,
});
const encPart = (what: string, ref: string): Field => ({
  words: what,
  ref,
  type: 'EncryptedData',
});
const principal = (words: string, ref: string): Field => ({ words, ref, type: 'PrincipalName' });
const realm = (words: string, ref: string): Field => ({ words, ref });
const time = (words: string, ref: string): Field => ({ words, ref });
const key = (words: string, ref: string): Field => ({ words, ref, type: 'EncryptionKey' });
const checksum = (words: string, ref: string): Field => ({ words, ref, type: 'Checksum' });
const padataList = (words: string, ref: string): Field => ({ words, ref, items: 'PA-DATA' });
const addresses = (words: string, ref: string): Field => ({ words, ref, items: 'HostAddress' });
const authData = (words: string, ref: string): Field => ({ words, ref, items: 'AuthorizationData entry' });

const KDC_REQ_FIELDS = {
  pvno: pvno('request'),
  'msg-type': msgType('10 for AS-REQ, 12 for TGS-REQ'),
  padata: padataList(
    'Pre-authentication data: proof of identity (an encrypted timestamp, the TGT in a TGS-REQ) and hints such as the PAC request. Absent in a first AS-REQ that learns what the KDC wants.',
    `${R} §5.4.1, §5.2.7`,
  ),
  'req-body': {
    words:
      'What the client asks for: options, names, times, nonce and enctypes. In a TGS-REQ its checksum is bound into the authenticator, so it cannot be changed on the way.',
    ref: `${R} §5.4.1`,
    type: 'KDC-REQ-BODY',
  },
} as const satisfies Record<string, Field>;

const KDC_REP_FIELDS = {
  pvno: pvno('reply'),
  'msg-type': msgType('11 for AS-REP, 13 for TGS-REP'),
  padata: padataList(
    'Pre-authentication data sent back in the clear, such as ETYPE-INFO2 (the salt the client used) or a FAST reply.',
    `${R} §5.4.2`,
  ),
  crealm: realm('The realm of the client the ticket is for.', `${R} §5.4.2`),
  cname: principal('The client the ticket is for (after any canonicalization by the KDC).', `${R} §5.4.2`),
  ticket: {
    words:
      'The new ticket. The client cannot read it: it is encrypted for the service (or for krbtgt, for a TGT) and is only passed on.',
    ref: `${R} §5.4.2`,
    type: 'Ticket',
  },
  'enc-part': encPart(
    "The client's half of the reply: the session key, times and flags, encrypted in the client's long-term key (AS-REP, key usage 3) or the TGT session key or subkey (TGS-REP, key usage 8 or 9).",
    `${R} §5.4.2`,
  ),
} as const satisfies Record<string, Field>;

const ENC_KDC_REP_FIELDS = {
  key: key(
    'The session key the client will share with the service named in the ticket; the same key sits inside the ticket.',
    `${R} §5.4.2`,
  ),
  'last-req': {
    words:
      'Times the KDC knows about the client: its last TGT request, its last request of any kind, when its password or account will expire…',
    ref: `${R} §5.4.2`,
    items: 'LastReq entry',
  },
  nonce: time(
    'The nonce of the request, echoed: the client checks it matches, so an old reply cannot be replayed.',
    `${R} §5.4.2`,
  ),
  'key-expiration': time(
    "When the client's key (password) expires; older field, replaced by last-req entries.",
    `${R} §5.4.2`,
  ),
  flags: {
    words:
      "The ticket's flags, repeated for the client (which cannot read the ticket itself); each set bit is explained below.",
    ref: `${R} §5.4.2, §5.3`,
  },
  authtime: time(
    'When the client first authenticated (the AS exchange that began this chain of tickets).',
    `${R} §5.4.2`,
  ),
  starttime: time('When the ticket becomes valid; absent means at authtime.', `${R} §5.4.2`),
  endtime: time('When the ticket stops being accepted.', `${R} §5.4.2`),
  'renew-till': time('For a renewable ticket: the latest end time a renewal can reach.', `${R} §5.4.2`),
  srealm: realm('The realm of the service the ticket is for.', `${R} §5.4.2`),
  sname: principal(
    'The service the ticket is for; with canonicalization it may differ from the one asked for.',
    `${R} §5.4.2`,
  ),
  caddr: addresses(
    'The addresses the ticket may be used from, when it is restricted to some.',
    `${R} §5.4.2`,
  ),
  'encrypted-pa-data': padataList(
    'Pre-authentication data the KDC protects inside the encrypted part, such as PA-REQ-ENC-PA-REP (a checksum proving the request arrived unmodified).',
    'RFC 6806 §11',
  ),
} as const satisfies Record<string, Field>;

const ENCRYPTED_DATA_FIELDS = {
  etype: {
    words: 'The encryption type (enctype) of the ciphertext: which algorithm and key kind open it.',
    ref: `${R} §5.2.9, RFC 3961`,
  },
  kvno: {
    words:
      'The version number of the long-term key used, so the receiver picks the right one after a password change; absent for session keys.',
    ref: `${R} §5.2.9`,
  },
  cipher: {
    words:
      'The ciphertext: a confounder, the encrypted plaintext and an integrity checksum, as the enctype defines.',
    ref: `${R} §5.2.9, RFC 3961 §5.3`,
  },
} as const satisfies Record<string, Field>;

const CHECKSUM_FIELDS = {
  cksumtype: {
    words: 'The checksum algorithm (keyed HMAC variants for modern enctypes).',
    ref: `${R} §5.2.9, RFC 3961 §8`,
  },
  checksum: { words: 'The checksum value itself.', ref: `${R} §5.2.9` },
} as const satisfies Record<string, Field>;

const KRB_SAFE_BODY_FIELDS = {
  'user-data': {
    words: "The application's data, protected against change but not hidden.",
    ref: `${R} §5.6.1`,
  },
  timestamp: time("The sender's time, for replay detection.", `${R} §5.6.1`),
  usec: time('The microseconds part of the timestamp.', `${R} §5.6.1`),
  'seq-number': {
    words: 'A sequence number, to detect lost, replayed or reordered messages.',
    ref: `${R} §5.6.1`,
  },
  's-address': { words: "The sender's address.", ref: `${R} §5.6.1`, type: 'HostAddress' },
  'r-address': { words: "The recipient's address.", ref: `${R} §5.6.1`, type: 'HostAddress' },
} as const satisfies Record<string, Field>;

const FX_FAST_REQUEST = {
  words:
    'The FAST armor around a request (RFC 6113): the real request body and padata travel encrypted in a key derived from an armor ticket.',
  ref: 'RFC 6113 §5.4.2',
  fields: {
    'armored-data': {
      words:
        'The armored request: the armor, a checksum over the outer request, and the encrypted inner request.',
      ref: 'RFC 6113 §5.4.2',
      type: 'KrbFastArmoredReq',
    },
  },
} as const;

export const DER_CATALOGUE: Catalogue = {
  // ---- messages ---------------------------------------------------------------------------------------
  'AS-REQ': {
    words:
      'Authentication Service request: a client asks the KDC for a first ticket, usually a TGT, proving who it is with pre-authentication.',
    ref: `${R} §5.4.1, §3.1`,
    fields: KDC_REQ_FIELDS,
  },
  'TGS-REQ': {
    words:
      'Ticket-Granting Service request: a client shows its TGT (in PA-TGS-REQ) and asks for a ticket to a service, or a TGT to another realm.',
    ref: `${R} §5.4.1, §3.3`,
    fields: KDC_REQ_FIELDS,
  },
  'AS-REP': {
    words:
      "The KDC's answer to an AS-REQ: a ticket, and a part only the client's key opens holding the session key.",
    ref: `${R} §5.4.2, §3.1.3`,
    fields: KDC_REP_FIELDS,
  },
  'TGS-REP': {
    words:
      "The KDC's answer to a TGS-REQ: a service ticket (or a referral TGT), with its session key encrypted for the client.",
    ref: `${R} §5.4.2, §3.3.3`,
    fields: KDC_REP_FIELDS,
  },
  'AP-REQ': {
    words:
      'Application request: the client presents a ticket and an authenticator to a service (or to the KDC, inside a TGS-REQ) to prove it holds the session key.',
    ref: `${R} §5.5.1`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('14 for AP-REQ'),
      'ap-options': {
        words:
          'Options for the service: use-session-key (user-to-user) and mutual-required (please answer with an AP-REP). Each set bit is explained below.',
        ref: `${R} §5.5.1`,
      },
      ticket: {
        words: 'The ticket for the service, which only the service (or the KDC) can open.',
        ref: `${R} §5.5.1`,
        type: 'Ticket',
      },
      authenticator: encPart(
        'The authenticator, encrypted in the session key from the ticket (key usage 11, or 7 inside a TGS-REQ): fresh proof that the sender knows that key.',
        `${R} §5.5.1`,
      ),
    },
  },
  'AP-REP': {
    words:
      "The service's answer to an AP-REQ that asked for mutual authentication: it proves the service could open the ticket.",
    ref: `${R} §5.5.2`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('15 for AP-REP'),
      'enc-part': encPart(
        'The EncAPRepPart, encrypted in the ticket session key (key usage 12).',
        `${R} §5.5.2`,
      ),
    },
  },
  'KRB-ERROR': {
    words:
      'An error answer from a KDC or a service: which request failed, why (error-code), and sometimes hints in e-data, such as which pre-authentication to use.',
    ref: `${R} §5.9.1`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('30 for KRB-ERROR'),
      ctime: time(
        "The client's time from the request, when known, so the client can match the error to it.",
        `${R} §5.9.1`,
      ),
      cusec: time('The microseconds of ctime.', `${R} §5.9.1`),
      stime: time(
        "The server's current time. A client can compare it with its own to see clock skew.",
        `${R} §5.9.1`,
      ),
      susec: time('The microseconds of stime.', `${R} §5.9.1`),
      'error-code': {
        words: 'What went wrong, as a number; its name and meaning are shown below.',
        ref: `${R} §5.9.1, §7.5.9`,
      },
      crealm: realm("The client's realm, from the request.", `${R} §5.9.1`),
      cname: principal('The client named in the request.', `${R} §5.9.1`),
      realm: realm('The realm of the server that sent the error.', `${R} §5.9.1`),
      sname: principal('The service named in the request (for a KDC error, often krbtgt).', `${R} §5.9.1`),
      'e-text': {
        words: 'Free text for a human, explaining the error; not used by programs.',
        ref: `${R} §5.9.1`,
      },
      'e-data': {
        words:
          'Extra data for the client. After KDC_ERR_PREAUTH_REQUIRED it lists the acceptable pre-authentication methods and salts (METHOD-DATA).',
        ref: `${R} §5.9.1, §5.2.7`,
      },
    },
  },
  'KRB-SAFE': {
    words:
      'An application message protected by a checksum in the session key: readable, but any change is detected.',
    ref: `${R} §5.6.1`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('20 for KRB-SAFE'),
      'safe-body': {
        words: 'What is protected: the data and the anti-replay fields.',
        ref: `${R} §5.6.1`,
        type: 'KRB-SAFE-BODY',
      },
      cksum: checksum('The keyed checksum over safe-body (key usage 15).', `${R} §5.6.1`),
    },
  },
  'KRB-SAFE-BODY': {
    words: 'The protected body of a KRB-SAFE message.',
    ref: `${R} §5.6.1`,
    fields: KRB_SAFE_BODY_FIELDS,
  },
  'KRB-PRIV': {
    words: 'An application message encrypted in the session key (or subkey): hidden and protected.',
    ref: `${R} §5.7.1`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('21 for KRB-PRIV'),
      'enc-part': encPart('The EncKrbPrivPart, encrypted (key usage 13).', `${R} §5.7.1`),
    },
  },
  EncKrbPrivPart: {
    words: 'The decrypted body of a KRB-PRIV message.',
    ref: `${R} §5.7.1`,
    fields: KRB_SAFE_BODY_FIELDS,
  },
  'KRB-CRED': {
    words:
      'Credentials handed from one party to another: tickets plus their session keys (delegation, or a .kirbi file).',
    ref: `${R} §5.8.1`,
    fields: {
      pvno: pvno('message'),
      'msg-type': msgType('22 for KRB-CRED'),
      tickets: { words: 'The tickets being passed on.', ref: `${R} §5.8.1`, items: 'Ticket' },
      'enc-part': encPart(
        'The EncKrbCredPart with the session keys, encrypted (key usage 14), or in the clear with etype 0 as in a .kirbi file.',
        `${R} §5.8.1`,
      ),
    },
  },
  EncKrbCredPart: {
    words: 'The decrypted part of a KRB-CRED: one KrbCredInfo per ticket, with its session key.',
    ref: `${R} §5.8.1`,
    fields: {
      'ticket-info': {
        words: 'One entry per ticket, in the same order as the tickets.',
        ref: `${R} §5.8.1`,
        items: 'KrbCredInfo',
      },
      nonce: { words: 'A nonce from the receiver, when it asked for one.', ref: `${R} §5.8.1` },
      timestamp: time("The sender's time.", `${R} §5.8.1`),
      usec: time('The microseconds of timestamp.', `${R} §5.8.1`),
      's-address': { words: "The sender's address.", ref: `${R} §5.8.1`, type: 'HostAddress' },
      'r-address': { words: "The recipient's address.", ref: `${R} §5.8.1`, type: 'HostAddress' },
    },
  },
  KrbCredInfo: {
    words:
      'What a receiver needs to use one passed-on ticket: its session key and, optionally, a copy of what the ticket says.',
    ref: `${R} §5.8.1`,
    fields: {
      key: key('The session key of the ticket.', `${R} §5.8.1`),
      prealm: realm("The client's realm.", `${R} §5.8.1`),
      pname: principal('The client.', `${R} §5.8.1`),
      flags: { words: "The ticket's flags; each set bit is explained below.", ref: `${R} §5.8.1, §5.3` },
      authtime: time('When the client first authenticated.', `${R} §5.8.1`),
      starttime: time('When the ticket becomes valid.', `${R} §5.8.1`),
      endtime: time('When the ticket expires.', `${R} §5.8.1`),
      'renew-till': time('The latest end time a renewal can reach.', `${R} §5.8.1`),
      srealm: realm("The service's realm.", `${R} §5.8.1`),
      sname: principal('The service.', `${R} §5.8.1`),
      caddr: addresses('The addresses the ticket is restricted to.', `${R} §5.8.1`),
    },
  },

  // ---- tickets and their parts ------------------------------------------------------------------------
  Ticket: {
    words:
      'A ticket: proof, sealed by the KDC in the service’s key, that the named client may use the service. The client carries it without being able to read it.',
    ref: `${R} §5.3`,
    fields: {
      'tkt-vno': { words: 'The ticket format version: 5.', ref: `${R} §5.3` },
      realm: realm('The realm that issued the ticket (and the service’s realm).', `${R} §5.3`),
      sname: principal('The service the ticket is for; krbtgt/REALM for a TGT.', `${R} §5.3`),
      'enc-part': encPart(
        "The EncTicketPart, encrypted in the service's long-term key (key usage 2); kvno says which version of that key.",
        `${R} §5.3`,
      ),
    },
  },
  EncTicketPart: {
    words:
      'The inside of a ticket, readable only by the service (or the KDC): who the client is, the session key, times, flags and authorization data such as the PAC.',
    ref: `${R} §5.3`,
    fields: {
      flags: {
        words:
          "The ticket's flags (forwardable, renewable, initial, pre-authent…); each set bit is explained below.",
        ref: `${R} §5.3`,
      },
      key: key('The session key the service will share with the client.', `${R} §5.3`),
      crealm: realm("The client's realm.", `${R} §5.3`),
      cname: principal('The client the ticket speaks for.', `${R} §5.3`),
      transited: {
        words: 'The realms crossed on the way from the client’s realm to this one (empty within one realm).',
        ref: `${R} §5.3, §3.3.3.2`,
        type: 'TransitedEncoding',
      },
      authtime: time('When the client authenticated in the AS exchange.', `${R} §5.3`),
      starttime: time('When the ticket becomes valid; absent means at authtime.', `${R} §5.3`),
      endtime: time(
        'When the ticket expires; a service refuses it after this (allowing for clock skew).',
        `${R} §5.3`,
      ),
      'renew-till': time('For a renewable ticket: the latest end time a renewal can reach.', `${R} §5.3`),
      caddr: addresses(
        'The client addresses the ticket may be used from; usually absent (any address).',
        `${R} §5.3`,
      ),
      'authorization-data': authData(
        'Restrictions and authorization information about the client. Windows puts the PAC here, inside AD-IF-RELEVANT.',
        `${R} §5.3, §5.2.6`,
      ),
    },
  },
  TransitedEncoding: {
    words: 'The list of transited realms, in a compressed encoding.',
    ref: `${R} §5.3, §3.3.3.2`,
    fields: {
      'tr-type': { words: 'The encoding of contents: 1 is DOMAIN-X500-COMPRESS.', ref: `${R} §5.3, §7.5.5` },
      contents: {
        words: 'The transited realms, encoded as tr-type says; empty when no realm was crossed.',
        ref: `${R} §3.3.3.2`,
      },
    },
  },
  EncASRepPart: {
    words:
      "The decrypted client part of an AS-REP: the session key and what the ticket says, for the client's own use.",
    ref: `${R} §5.4.2`,
    fields: ENC_KDC_REP_FIELDS,
  },
  EncTGSRepPart: {
    words: "The decrypted client part of a TGS-REP: the new ticket's session key and what the ticket says.",
    ref: `${R} §5.4.2`,
    fields: ENC_KDC_REP_FIELDS,
  },
  'LastReq entry': {
    words: 'One "last time" fact about the client.',
    ref: `${R} §5.4.2`,
    fields: {
      'lr-type': {
        words:
          'Which fact: 0 none, 1 the last initial TGT request, 2 the last initial request, 3 the newest TGT issued, 4 the last renewal, 5 the last request of any kind, 6 when the password will expire, 7 when the account will expire (negative: known to this KDC only).',
        ref: `${R} §5.4.2`,
      },
      'lr-value': time('The time of that fact.', `${R} §5.4.2`),
    },
  },
  Authenticator: {
    words:
      "Fresh proof from the client that it holds the ticket's session key: its name and the current time, encrypted in that key. A service refuses one it has seen before or whose time is too far off.",
    ref: `${R} §5.5.1`,
    fields: {
      'authenticator-vno': { words: 'The authenticator format version: 5.', ref: `${R} §5.5.1` },
      crealm: realm("The client's realm; must match the ticket.", `${R} §5.5.1`),
      cname: principal('The client; must match the ticket.', `${R} §5.5.1`),
      cksum: checksum(
        'A checksum binding the authenticator to other data: the TGS-REQ body in a TGS-REQ, the GSS-API channel bindings and flags (type 0x8003) in an AP-REQ.',
        `${R} §5.5.1, RFC 4121 §4.1.1`,
      ),
      cusec: time('The microseconds of ctime.', `${R} §5.5.1`),
      ctime: time(
        "The client's current time; the service checks it is within the allowed clock skew (5 minutes by default).",
        `${R} §5.5.1`,
      ),
      subkey: key(
        'A key the client proposes for this session instead of the ticket session key.',
        `${R} §5.5.1`,
      ),
      'seq-number': {
        words: 'The first sequence number the client will use on this connection.',
        ref: `${R} §5.5.1`,
      },
      'authorization-data': authData(
        'Extra restrictions the client adds for this use of the ticket.',
        `${R} §5.5.1`,
      ),
    },
  },
  EncAPRepPart: {
    words:
      "The decrypted AP-REP: the client's own time sent back, proving the service opened the authenticator.",
    ref: `${R} §5.5.2`,
    fields: {
      ctime: time("The ctime from the client's authenticator, echoed.", `${R} §5.5.2`),
      cusec: time('The cusec from the authenticator, echoed.', `${R} §5.5.2`),
      subkey: key(
        "A key the service chooses for the session; it replaces the client's subkey.",
        `${R} §5.5.2`,
      ),
      'seq-number': { words: 'The first sequence number the service will use.', ref: `${R} §5.5.2` },
    },
  },

  // ---- the request body -------------------------------------------------------------------------------
  'KDC-REQ-BODY': {
    words: 'What the client asks the KDC for.',
    ref: `${R} §5.4.1`,
    fields: {
      'kdc-options': {
        words:
          'Flags asking for ticket properties (forwardable, renewable, canonicalize…); each set bit is explained below.',
        ref: `${R} §5.4.1`,
      },
      cname: principal(
        'The client (AS-REQ only; in a TGS-REQ the client is the one in the TGT).',
        `${R} §5.4.1`,
      ),
      realm: realm('The realm of the service asked for (and of the client, in an AS-REQ).', `${R} §5.4.1`),
      sname: principal('The service asked for; krbtgt/REALM when asking for a TGT.', `${R} §5.4.1`),
      from: time('For a postdated ticket: when it should start.', `${R} §5.4.1`),
      till: time(
        'The end time asked for; the KDC may give less. 19700101000000Z or a far date means "as long as allowed".',
        `${R} §5.4.1`,
      ),
      rtime: time('The renew-till time asked for, when asking for a renewable ticket.', `${R} §5.4.1`),
      nonce: {
        words: 'A random number the reply must echo, so the client knows the reply answers this request.',
        ref: `${R} §5.4.1`,
      },
      etype: {
        words:
          'The enctypes the client supports, most preferred first. The KDC picks from this list for the session key (and the reply key).',
        ref: `${R} §5.4.1`,
        items: '',
      },
      addresses: addresses('Addresses the ticket should be restricted to; usually absent.', `${R} §5.4.1`),
      'enc-authorization-data': encPart(
        'Authorization data to copy into the ticket, encrypted in the TGT session key or subkey (key usage 4 or 5).',
        `${R} §5.4.1`,
      ),
      'additional-tickets': {
        words:
          'Extra tickets the request needs: the evidence ticket for S4U2proxy, or the other party’s TGT for user-to-user.',
        ref: `${R} §5.4.1, MS-SFU §3.1.5.2.1`,
        items: 'Ticket',
      },
    },
  },

  // ---- basic types ------------------------------------------------------------------------------------
  PrincipalName: {
    words: 'A principal’s name: its kind and its components (alice; cifs/fs1.example.test).',
    ref: `${R} §5.2.2`,
    fields: {
      'name-type': {
        words:
          'What kind of name this is (user, service and host, enterprise…), a hint that does not change matching.',
        ref: `${R} §5.2.2, §6.2`,
      },
      'name-string': {
        words: 'The components of the name, in order (cifs, fs1.example.test).',
        ref: `${R} §5.2.2`,
        items: '',
      },
    },
  },
  EncryptedData: {
    words: 'Something encrypted: which enctype and key version, and the ciphertext.',
    ref: `${R} §5.2.9`,
    fields: ENCRYPTED_DATA_FIELDS,
  },
  EncryptionKey: {
    words: 'A key: its enctype and its bytes.',
    ref: `${R} §5.2.9`,
    fields: {
      keytype: { words: 'The enctype the key belongs to.', ref: `${R} §5.2.9` },
      keyvalue: { words: 'The key bytes (32 for AES-256, 16 for AES-128 and RC4).', ref: `${R} §5.2.9` },
    },
  },
  Checksum: { words: 'A checksum and its type.', ref: `${R} §5.2.9`, fields: CHECKSUM_FIELDS },
  HostAddress: {
    words: 'A network address.',
    ref: `${R} §5.2.5`,
    fields: {
      'addr-type': { words: 'The address family: 2 IPv4, 24 IPv6, 20 NetBIOS.', ref: `${R} §5.2.5, §7.5.3` },
      address: {
        words: 'The address bytes (a NetBIOS name is padded with spaces to 16).',
        ref: `${R} §5.2.5`,
      },
    },
  },
  AuthorizationData: {
    words: 'A list of authorization elements, each with its type and data.',
    ref: `${R} §5.2.6`,
    items: 'AuthorizationData entry',
  },
  'AuthorizationData entry': {
    words: 'One authorization element.',
    ref: `${R} §5.2.6`,
    fields: {
      'ad-type': {
        words: 'What the element holds (1 AD-IF-RELEVANT, 128 the Windows PAC…); its name is shown below.',
        ref: `${R} §5.2.6, §7.5.4`,
      },
      'ad-data': { words: 'The element’s data, read as its ad-type says.', ref: `${R} §5.2.6` },
    },
  },
  'AD-IF-RELEVANT': {
    words:
      'Authorization elements a receiver may ignore if it does not understand them. Windows wraps the PAC in one.',
    ref: `${R} §5.2.6.1`,
    items: 'AuthorizationData entry',
  },
  'AD-MANDATORY-FOR-KDC': {
    words: 'Authorization elements the KDC must understand, or refuse the ticket.',
    ref: `${R} §5.2.6.4`,
    items: 'AuthorizationData entry',
  },
  'AD-KDCIssued': {
    words: 'Authorization elements vouched for by the KDC with a checksum in the service key.',
    ref: `${R} §5.2.6.2`,
    fields: {
      'ad-checksum': checksum('The checksum over elements, in the service’s key.', `${R} §5.2.6.2`),
      'i-realm': realm('The realm that issued the elements, when not the ticket’s.', `${R} §5.2.6.2`),
      'i-sname': principal('The principal that issued the elements.', `${R} §5.2.6.2`),
      elements: authData('The vouched-for elements.', `${R} §5.2.6.2`),
    },
  },
  'AD-AND-OR': {
    words: 'Authorization elements of which a given number must be satisfied.',
    ref: `${R} §5.2.6.3`,
    fields: {
      'condition-count': { words: 'How many of the elements must be satisfied.', ref: `${R} §5.2.6.3` },
      elements: authData('The alternatives.', `${R} §5.2.6.3`),
    },
  },

  // ---- pre-authentication -----------------------------------------------------------------------------
  'PA-DATA': {
    words: 'One piece of pre-authentication data: a type number and a value whose meaning that type defines.',
    ref: `${R} §5.2.7`,
    fields: {
      'padata-type': {
        words: 'Which kind of padata this is; its name and meaning are shown below.',
        ref: `${R} §5.2.7, §7.5.2`,
      },
      'padata-value': {
        words: 'The value, usually DER of the structure its padata-type names (decoded below when known).',
        ref: `${R} §5.2.7`,
      },
    },
  },
  'METHOD-DATA': {
    words:
      'A list of padata; in a KRB-ERROR it lists the pre-authentication methods the KDC accepts, with their hints.',
    ref: `${R} §5.2.7, §5.9.1`,
    items: 'PA-DATA',
  },
  'SEQUENCE OF PA-DATA': { words: 'A list of padata.', ref: `${R} §5.2.7`, items: 'PA-DATA' },
  'TYPED-DATA': {
    words: 'A list of typed hints for the client in a KRB-ERROR.',
    ref: `${R} §5.9.1`,
    items: 'TYPED-DATA entry',
  },
  'TYPED-DATA entry': {
    words: 'One typed hint.',
    ref: `${R} §5.9.1`,
    fields: {
      'data-type': { words: 'Which kind of hint (numbered as padata types).', ref: `${R} §5.9.1` },
      'data-value': { words: 'The hint’s value.', ref: `${R} §5.9.1` },
    },
  },
  'PA-ENC-TIMESTAMP': {
    words:
      "Encrypted-timestamp pre-authentication: the client's current time encrypted in its long-term key (key usage 1), proving it knows the password without sending it.",
    ref: `${R} §5.2.7.2`,
    fields: ENCRYPTED_DATA_FIELDS,
  },
  'PA-ENC-TS-ENC': {
    words: 'The decrypted encrypted timestamp: the KDC checks it is within the allowed clock skew.',
    ref: `${R} §5.2.7.2`,
    fields: {
      patimestamp: time("The client's current time.", `${R} §5.2.7.2`),
      pausec: time('The microseconds of patimestamp.', `${R} §5.2.7.2`),
    },
  },
  'ETYPE-INFO': {
    words: 'Older form of ETYPE-INFO2: enctypes and the salts to make keys for them.',
    ref: `${R} §5.2.7.4`,
    items: 'ETYPE-INFO-ENTRY',
  },
  'ETYPE-INFO-ENTRY': {
    words: 'One enctype and its salt.',
    ref: `${R} §5.2.7.4`,
    fields: {
      etype: { words: 'An enctype the KDC holds a key of for the client.', ref: `${R} §5.2.7.4` },
      salt: { words: 'The salt for string-to-key with that enctype (bytes).', ref: `${R} §5.2.7.4` },
    },
  },
  'ETYPE-INFO2': {
    words:
      'How to make the client’s key from its password: for each enctype the KDC will use, the salt and string-to-key parameters.',
    ref: `${R} §5.2.7.5`,
    items: 'ETYPE-INFO2-ENTRY',
  },
  'ETYPE-INFO2-ENTRY': {
    words: 'One enctype, with its salt and string-to-key parameters.',
    ref: `${R} §5.2.7.5`,
    fields: {
      etype: { words: 'The enctype of the key to make.', ref: `${R} §5.2.7.5` },
      salt: {
        words: 'The salt; by default the realm followed by the name components (CORP.CONTOSO.COMalice).',
        ref: `${R} §4, ${R} §5.2.7.5`,
      },
      s2kparams: {
        words: 'String-to-key parameters: for AES, the PBKDF2 iteration count (4 bytes, big-endian).',
        ref: `${R} §5.2.7.5, RFC 3962 §4`,
      },
    },
  },
  'KERB-PA-PAC-REQUEST': {
    words: 'Asks the KDC to include (or leave out) the PAC, the Windows authorization data, in the ticket.',
    ref: 'MS-KILE §2.2.3',
    fields: {
      'include-pac': { words: 'TRUE: put a PAC in the ticket; FALSE: leave it out.', ref: 'MS-KILE §2.2.3' },
    },
  },
  'PA-PAC-OPTIONS': {
    words:
      'Options about the PAC the client asks for: claims, branch aware, forward to full DC, resource-based constrained delegation.',
    ref: 'MS-KILE §2.2.10, MS-SFU §2.2.5',
    fields: {
      flags: { words: 'The options as bits; each set bit is explained below.', ref: 'MS-KILE §2.2.10' },
    },
  },
  'PA-FOR-USER': {
    words:
      'S4U2self: a service asks for a ticket to itself on behalf of the user named here, without the user’s password.',
    ref: 'MS-SFU §2.2.1',
    fields: {
      userName: principal('The user the service acts for.', 'MS-SFU §2.2.1'),
      userRealm: realm("The user's realm.", 'MS-SFU §2.2.1'),
      cksum: checksum(
        'An HMAC-MD5 checksum over the name, realm and auth-package, in the TGT session key: proves the request was not altered.',
        'MS-SFU §2.2.1',
      ),
      'auth-package': { words: 'Always "Kerberos".', ref: 'MS-SFU §2.2.1' },
    },
  },
  'KERB-KEY-LIST-REQ': {
    words:
      'A client’s request, inside a TGS-REQ for the krbtgt service, for the user’s long-term keys of the listed enctypes (in practice the NT hash), so that legacy protocols such as NTLM keep single sign-on; cloud Kerberos trust sends it when it trades a partial TGT for a full one.',
    ref: 'MS-KILE §2.2.11',
    items: '',
  },
  'KERB-KEY-LIST-REP': {
    words: 'The user’s long-term keys, returned inside the encrypted part of the reply.',
    ref: 'MS-KILE §2.2.12',
    items: 'EncryptionKey',
  },
  'PA-ENCRYPTED-CHALLENGE': {
    words:
      'FAST pre-authentication: the client’s time encrypted in a key derived from the armor key and its own key; the KDC answers the same way.',
    ref: 'RFC 6113 §5.4.6',
    fields: ENCRYPTED_DATA_FIELDS,
  },
  'PA-REQ-ENC-PA-REP': {
    words:
      'A checksum of the whole request, made by the KDC in the reply key: the client checks it to know nobody altered its request on the way.',
    ref: 'RFC 6806 §11',
    fields: CHECKSUM_FIELDS,
  },
  'PA-FX-FAST-REQUEST': FX_FAST_REQUEST,
  'PA-FX-FAST-REPLY': {
    words:
      'The FAST armor around a reply: the real padata and the key that strengthens the reply key travel encrypted in the armor key.',
    ref: 'RFC 6113 §5.4.3',
    fields: {
      'armored-data': { words: 'The armored reply.', ref: 'RFC 6113 §5.4.3', type: 'KrbFastArmoredRep' },
    },
  },
  KrbFastArmoredReq: {
    words: 'A FAST request: armor, a checksum over the outer request, and the encrypted inner request.',
    ref: 'RFC 6113 §5.4.2',
    fields: {
      armor: {
        words:
          'The armor: a ticket (in an AS-REQ, usually the host’s TGT) whose session key, mixed with a subkey, makes the armor key.',
        ref: 'RFC 6113 §5.4.1',
        type: 'KrbFastArmor',
      },
      'req-checksum': checksum(
        'A checksum over the outer KDC-REQ-BODY in the armor key, so it cannot be changed.',
        'RFC 6113 §5.4.2',
      ),
      'enc-fast-req': encPart(
        'The KrbFastReq, encrypted in the armor key (key usage 51).',
        'RFC 6113 §5.4.2',
      ),
    },
  },
  KrbFastArmor: {
    words: 'How the armor key is obtained.',
    ref: 'RFC 6113 §5.4.1',
    fields: {
      'armor-type': {
        words: '1 is FX_FAST_ARMOR_AP_REQUEST: the armor is an AP-REQ.',
        ref: 'RFC 6113 §5.4.1.1',
      },
      'armor-value': {
        words: 'The armor AP-REQ; the armor key is KRB-FX-CF2 of its subkey and ticket session key.',
        ref: 'RFC 6113 §5.4.1.1',
      },
    },
  },
  KrbFastReq: {
    words: 'The inner FAST request: the padata and request body the KDC really acts on.',
    ref: 'RFC 6113 §5.4.2',
    fields: {
      'fast-options': {
        words: 'FAST options (hide-client-names…); each set bit is explained below.',
        ref: 'RFC 6113 §5.4.2',
      },
      padata: padataList('The real pre-authentication data, protected by the armor.', 'RFC 6113 §5.4.2'),
      'req-body': { words: 'The real request body.', ref: 'RFC 6113 §5.4.2', type: 'KDC-REQ-BODY' },
    },
  },
  KrbFastArmoredRep: {
    words: 'A FAST reply: the encrypted inner response.',
    ref: 'RFC 6113 §5.4.3',
    fields: {
      'enc-fast-rep': encPart(
        'The KrbFastResponse, encrypted in the armor key (key usage 52).',
        'RFC 6113 §5.4.3',
      ),
    },
  },
  KrbFastResponse: {
    words:
      'The inner FAST response: the real padata and the key that strengthens the reply key (which a TGS-REP must carry).',
    ref: 'RFC 6113 §5.4.3',
    fields: {
      padata: padataList('The real padata of the reply.', 'RFC 6113 §5.4.3'),
      'strengthen-key': key(
        'Mixed into the reply key with KRB-FX-CF2, so a stolen password alone cannot open the reply: optional in an AS-REP, required in a TGS-REP, absent from a KRB-ERROR.',
        'RFC 6113 §5.4.3',
      ),
      finished: {
        words:
          'Proof that binds the returned ticket to this exchange; in every AS-REP and TGS-REP, never in an error.',
        ref: 'RFC 6113 §5.4.3',
        type: 'KrbFastFinished',
      },
      nonce: { words: 'The nonce of the request, echoed.', ref: 'RFC 6113 §5.4.3' },
    },
  },
  KrbFastFinished: {
    words: 'The FAST finished message: who the ticket is for and a checksum over the ticket.',
    ref: 'RFC 6113 §5.4.3',
    fields: {
      timestamp: time("The KDC's time.", 'RFC 6113 §5.4.3'),
      usec: time('The microseconds of timestamp.', 'RFC 6113 §5.4.3'),
      crealm: realm("The client's realm (the real one, when names were hidden).", 'RFC 6113 §5.4.3'),
      cname: principal('The client.', 'RFC 6113 §5.4.3'),
      'ticket-checksum': checksum(
        'A checksum over the returned ticket in the armor key (key usage 53, KEY_USAGE_FAST_FINISHED).',
        'RFC 6113 §5.4.3',
      ),
    },
  },

  // ---- framings ---------------------------------------------------------------------------------------
  'tcp-record': {
    words: 'A Kerberos message as sent over TCP: a 4-byte length, then the message.',
    ref: `${R} §7.2.2`,
    fields: {
      'record-mark': {
        words: 'The length of the message that follows, big-endian; the top bit is reserved and must be 0.',
        ref: `${R} §7.2.2`,
      },
    },
  },
  'KDC-PROXY-MESSAGE': {
    words:
      'A Kerberos message carried over HTTPS to a KDC proxy (KKDCP), as Windows clients reach Entra ID or a DC from outside.',
    ref: 'MS-KKDCP §2.2.2',
    fields: {
      'kerb-message': {
        words: 'The Kerberos message, with its 4-byte TCP length in front.',
        ref: 'MS-KKDCP §2.2.2',
      },
      'target-domain': realm(
        'The realm the message is for; the proxy finds a KDC of that realm.',
        'MS-KKDCP §2.2.2',
      ),
      'dclocator-hint': {
        words: 'Flags that help the proxy choose a domain controller.',
        ref: 'MS-KKDCP §2.2.2',
      },
    },
  },
  InitialContextToken: {
    words:
      'A GSS-API token: the mechanism’s identifier, then the mechanism’s own token (here a Kerberos AP-REQ, or SPNEGO).',
    ref: 'RFC 2743 §3.1, RFC 4121 §4.1',
    fields: {
      thisMech: {
        words:
          'Which mechanism: 1.2.840.113554.1.2.2 is Kerberos 5, 1.3.6.1.5.5.2 is SPNEGO, 1.3.6.1.5.2.5 is IAKERB (Kerberos with the KDC messages relayed by the server).',
        ref: 'RFC 2743 §3.1',
      },
      'tok-id': {
        words:
          'The Kerberos GSS token kind: 0100 AP-REQ, 0200 AP-REP, 0300 KRB-ERROR; under IAKERB, 0501 IAKERB_PROXY: a KDC message the server relays.',
        ref: 'RFC 4121 §4.1, draft-ietf-kitten-iakerb-03 §3.1',
      },
      innerContextToken: {
        words: 'The token of a mechanism the playground does not read (NTLM, for example).',
        ref: 'RFC 2743 §3.1',
      },
    },
  },
  'IAKERB-HEADER': {
    words:
      'IAKERB: the header in front of a KDC message the client cannot send itself. The server sends the message to a KDC of target-realm and wraps the reply under the same header.',
    ref: 'draft-ietf-kitten-iakerb-03 §3.1, RFC 2743 §3.1',
    fields: {
      'target-realm': {
        words:
          'The realm whose KDC the server must ask (a UTF8String in the draft; MIT krb5 before 1.22 writes an OCTET STRING). Empty with no message: the client asks the server for its realm.',
        ref: 'draft-ietf-kitten-iakerb-03 §3.1',
      },
      cookie: {
        words:
          'State the server may hand the client to be sent back with the next token; the client returns it unchanged.',
        ref: 'draft-ietf-kitten-iakerb-03 §3.1',
      },
    },
  },
  'IAKERB token': {
    words:
      'An IAKERB token without the GSS-API header, as MIT krb5 before 1.22 sends every token after the first: TOK_ID 05 01, the IAKERB-HEADER, the KDC message.',
    ref: 'draft-ietf-kitten-iakerb-03 §3.1, RFC 4121 §4.1',
    fields: {
      'tok-id': {
        words: '05 01: IAKERB_PROXY, a KDC message relayed by the server.',
        ref: 'draft-ietf-kitten-iakerb-03 §3.1, RFC 4121 §4.1',
      },
    },
  },
  NegotiationToken: {
    words:
      'A SPNEGO token, as in an HTTP "Authorization: Negotiate" header or SMB SESSION_SETUP: the client and server agree on a mechanism, usually Kerberos.',
    ref: 'RFC 4178 §4.2',
    fields: {
      negTokenInit: {
        words:
          'The first token, from the client: the mechanisms it offers and an optimistic token for the first.',
        ref: 'RFC 4178 §4.2.1',
        type: 'NegTokenInit',
      },
      negTokenResp: {
        words: 'A later token: the negotiation state and the chosen mechanism’s answer.',
        ref: 'RFC 4178 §4.2.2',
        type: 'NegTokenResp',
      },
    },
  },
  NegTokenInit: {
    words: 'The opening SPNEGO token.',
    ref: 'RFC 4178 §4.2.1, MS-SPNG §2.2.1',
    fields: {
      mechTypes: {
        words:
          'The mechanisms offered, most preferred first (Windows lists MS-KRB5 1.2.840.48018.1.2.2 and Kerberos).',
        ref: 'RFC 4178 §4.1',
        items: '',
      },
      reqFlags: { words: 'Context flags asked for; usually omitted.', ref: 'RFC 4178 §4.2.1' },
      mechToken: {
        words: 'The optimistic token of the first mechanism: a GSS-API Kerberos token with the AP-REQ.',
        ref: 'RFC 4178 §4.2.1',
      },
      negHints: {
        words: 'A Windows server’s hints; the name is a fixed placeholder.',
        ref: 'MS-SPNG §2.2.1',
        type: 'NegHints',
      },
      mechListMIC: {
        words: 'A checksum over the mechanism list, protecting the negotiation from downgrade.',
        ref: 'RFC 4178 §4.2.1',
      },
    },
  },
  NegHints: {
    words: 'Negotiation hints from a Windows server.',
    ref: 'MS-SPNG §2.2.1',
    fields: {
      hintName: { words: 'Fixed text "not_defined_in_RFC4178@please_ignore".', ref: 'MS-SPNG §2.2.1' },
      hintAddress: { words: 'Never sent.', ref: 'MS-SPNG §2.2.1' },
    },
  },
  NegTokenResp: {
    words: 'A SPNEGO answer or continuation.',
    ref: 'RFC 4178 §4.2.2',
    fields: {
      negState: {
        words:
          'Where the negotiation stands: 0 accept-completed, 1 accept-incomplete, 2 reject, 3 request-mic.',
        ref: 'RFC 4178 §4.2.2',
      },
      supportedMech: { words: 'The mechanism the server chose.', ref: 'RFC 4178 §4.2.2' },
      responseToken: {
        words: "The chosen mechanism's token: for Kerberos, the AP-REP or a KRB-ERROR.",
        ref: 'RFC 4178 §4.2.2',
      },
      mechListMIC: {
        words: 'A checksum over the mechanism list, protecting the negotiation from downgrade.',
        ref: 'RFC 4178 §4.2.2',
      },
    },
  },
  bytes: {
    words: 'Bytes of a captured message that do not decode as Kerberos; the reason is given above them.',
    ref: `${R} §5`,
  },
};
