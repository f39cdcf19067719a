/**
 * The explanation catalogue for the PAC (MS-PAC): its header, each buffer the decoder names (by the label
 * of PAC_BUFFER_NAMES) and the fields inside, named as src/formats/pac.ts and pac-ndr.ts decode them
 * (the spec's field names in camelCase). The inspector's own leaves under a buffer, `verified` (the
 * signature check) and `error` (a buffer that would not decode), are explained here too.
 */
import { PAC_BUFFER_NAMES } from '../pac';
import type { Catalogue, Field, Shape } from './types';

const P = 'MS-PAC';
const LOGON = `${P} §2.5`;

const filetime = (words: string): Field => ({
  words: `${words} (a Windows FILETIME; "never" is the largest value).`,
  ref: LOGON,
});
const groups = (words: string, ref = LOGON): Field => ({ words, ref, items: 'GROUP_MEMBERSHIP' });
const sids = (words: string, ref = LOGON): Field => ({ words, ref, items: 'KERB_SID_AND_ATTRIBUTES' });

const KERB_VALIDATION_INFO: Shape = {
  words:
    "The user's logon and authorization information as the domain controller knows it: names, times, and the groups that decide what the user may access.",
  ref: LOGON,
  fields: {
    logonTime: filetime('When the user logged on'),
    logoffTime: filetime('When the logon session must end'),
    kickOffTime: filetime('When the system forces the user off'),
    passwordLastSet: filetime('When the password was last changed'),
    passwordCanChange: filetime('The earliest time the user may change the password'),
    passwordMustChange: filetime('When the password expires'),
    effectiveName: { words: 'The account name (sAMAccountName), such as alice.', ref: LOGON },
    fullName: { words: "The user's display name.", ref: LOGON },
    logonScript: { words: 'The logon script path from the account.', ref: LOGON },
    profilePath: { words: 'The roaming profile path from the account.', ref: LOGON },
    homeDirectory: { words: 'The home directory from the account.', ref: LOGON },
    homeDirectoryDrive: { words: 'The drive letter the home directory is mapped to.', ref: LOGON },
    logonCount: { words: 'How many times the user has logged on, as the DC counts.', ref: LOGON },
    badPasswordCount: { words: 'Failed password attempts since the last success.', ref: LOGON },
    userId: {
      words: "The user's RID: the last part of the user's SID, relative to logonDomainId.",
      ref: LOGON,
    },
    primaryGroupId: {
      words: "The RID of the user's primary group (513, Domain Users, by default).",
      ref: LOGON,
    },
    groupIds: groups(
      "The user's groups in the logon domain, as RIDs relative to logonDomainId, each with its attributes.",
    ),
    userFlags: {
      words: 'Flags about the logon; 0x20 says extraSids are present, 0x200 that resource groups are.',
      ref: LOGON,
    },
    userSessionKey: { words: 'An NTLM session key; all zeros in a Kerberos PAC.', ref: LOGON },
    logonServer: { words: 'The NetBIOS name of the DC that built the PAC.', ref: LOGON },
    logonDomainName: { words: "The NetBIOS name of the user's domain.", ref: LOGON },
    logonDomainId: {
      words: "The domain's SID, to which userId, primaryGroupId and groupIds are relative.",
      ref: LOGON,
    },
    userAccountControl: {
      words: 'Account flags (disabled, password never expires, not delegated…) as the DC stores them.',
      ref: LOGON,
    },
    subAuthStatus: { words: 'Status from a sub-authentication package; 0 normally.', ref: LOGON },
    lastSuccessfulILogon: filetime('The last successful interactive logon'),
    lastFailedILogon: filetime('The last failed interactive logon'),
    failedILogonCount: { words: 'Failed interactive logons since the last success.', ref: LOGON },
    extraSids: sids(
      'SIDs from outside the logon domain (universal groups, SID history, well-known SIDs such as the authentication authority), each with attributes. Filtered across a trust (MS-PAC §4.1.2.2).',
    ),
    resourceGroupDomainSid: {
      words: 'The SID of the resource domain whose domain-local groups follow, or null.',
      ref: LOGON,
    },
    resourceGroupIds: groups('Domain-local groups of the resource domain, as RIDs.'),
  },
};

const signatureBuffer = (words: string): Shape => ({
  words,
  ref: `${P} §2.8`,
  fields: {
    signature: { words: 'The signature and its type.', ref: `${P} §2.8`, type: 'PAC_SIGNATURE_DATA' },
  },
});

/** The buffers, by ulType; each gets `data`, `error` and `verified` below. */
const BUFFERS: Readonly<Record<number, Shape>> = {
  1: {
    words:
      'The logon information: who the user is and which groups they belong to; a service builds the access token from it.',
    ref: LOGON,
    fields: {
      logonInfo: { words: 'The KERB_VALIDATION_INFO structure.', ref: LOGON, type: 'KERB_VALIDATION_INFO' },
      sids: {
        words:
          'Not a field on the wire: the SIDs the logon information stands for, spelled out by the playground (domain SID plus each RID).',
        ref: LOGON,
        type: 'LogonInfoSids',
      },
    },
  },
  2: {
    words: 'Credentials (such as an NTLM hash) for PKINIT users, encrypted in the AS reply key.',
    ref: `${P} §2.6`,
  },
  6: signatureBuffer(
    "The server signature: a keyed checksum over the whole PAC in the service's long-term key, so the service knows the KDC issued it.",
  ),
  7: signatureBuffer(
    'The KDC signature: a checksum over the server signature in the krbtgt key, so only the KDC could have made the PAC.',
  ),
  10: {
    words:
      "The client's name and the ticket's authtime: a service checks they match the ticket, so a PAC cannot be moved to another ticket.",
    ref: `${P} §2.7`,
    fields: {
      clientInfo: {
        words: 'The PAC_CLIENT_INFO structure.',
        ref: `${P} §2.7`,
        type: 'PAC_CLIENT_INFO',
      },
    },
  },
  11: {
    words:
      'Constrained delegation information: the services this ticket has been delegated through (S4U2proxy).',
    ref: `${P} §2.9`,
  },
  12: {
    words: "The user's UPN and DNS domain name, and in the extended form the account name and SID.",
    ref: `${P} §2.10`,
    fields: { upnDnsInfo: { words: 'The UPN_DNS_INFO structure.', ref: `${P} §2.10`, type: 'UPN_DNS_INFO' } },
  },
  13: {
    words: "The user's claims (attributes used by Dynamic Access Control).",
    ref: `${P} §2.11`,
    fields: { claims: { words: 'The claims set metadata.', ref: `${P} §2.11`, type: 'CLAIMS_SET_METADATA' } },
  },
  14: {
    words: "The device's own groups, for compound authentication (FAST armored with the computer's TGT).",
    ref: `${P} §2.12`,
    fields: {
      deviceInfo: { words: 'The PAC_DEVICE_INFO structure.', ref: `${P} §2.12`, type: 'PAC_DEVICE_INFO' },
    },
  },
  15: {
    words: "The device's claims, for compound authentication.",
    ref: `${P} §2.13`,
    fields: { claims: { words: 'The claims set metadata.', ref: `${P} §2.13`, type: 'CLAIMS_SET_METADATA' } },
  },
  16: signatureBuffer(
    'The ticket signature: a checksum over the ticket itself (with the PAC replaced by a zero byte) in the krbtgt key, so the rest of the ticket cannot be changed either.',
  ),
  17: {
    words: 'Attributes of the PAC: whether the client asked for it, or it was given implicitly.',
    ref: `${P} §2.14`,
    fields: {
      attributes: {
        words: 'The PAC_ATTRIBUTES_INFO structure.',
        ref: `${P} §2.14`,
        type: 'PAC_ATTRIBUTES_INFO',
      },
    },
  },
  18: {
    words:
      'The SID of the account that asked for the ticket; a KDC checks it matches the client when the ticket is used.',
    ref: `${P} §2.15`,
    fields: {
      requestor: { words: 'The PAC_REQUESTOR structure.', ref: `${P} §2.15`, type: 'PAC_REQUESTOR' },
    },
  },
  19: signatureBuffer(
    'The full PAC signature (extended KDC signature): a checksum over the whole PAC in the krbtgt key.',
  ),
};

/** What every buffer may hold besides its structure. */
const BUFFER_EXTRAS: Readonly<Record<string, Field>> = {
  data: {
    words: 'The buffer’s bytes, shown as they are: the playground does not decode this buffer type.',
    ref: `${P} §2.4`,
  },
  error: {
    words: 'Why the playground could not decode this buffer (it is then shown as bytes).',
    ref: `${P} §2.4`,
  },
  verified: {
    words:
      'Not on the wire: whether the playground checked this signature with the key at hand, and the result.',
    ref: `${P} §2.8`,
  },
};

function buffers(): Record<string, Shape> {
  const out: Record<string, Shape> = {};
  for (const [type, label] of Object.entries(PAC_BUFFER_NAMES)) {
    const shape = BUFFERS[Number(type)];
    if (!shape) continue;
    out[label] = { ...shape, fields: { ...shape.fields, ...BUFFER_EXTRAS } };
  }
  return out;
}

/** The PAC buffers the decoder cannot name ("buffer type 99") are read as raw bytes. */
export function unknownPacBuffer(name: string): Shape | undefined {
  return /^buffer type \d+$/.test(name)
    ? {
        words: 'A PAC buffer of a type the playground does not know; receivers ignore unknown types.',
        ref: `${P} §2.4`,
        fields: BUFFER_EXTRAS,
      }
    : undefined;
}

export const PAC_CATALOGUE: Catalogue = {
  PAC: {
    words:
      'The Privilege Attribute Certificate: Windows authorization data the KDC puts in tickets (user and group SIDs, names, signatures). Services use it to decide access.',
    ref: `${P} §2.3`,
    fields: {
      cBuffers: { words: 'How many buffers the PAC holds.', ref: `${P} §2.3` },
      Version: { words: 'The PAC version: 0.', ref: `${P} §2.3` },
      Buffers: {
        words:
          'One directory entry (PAC_INFO_BUFFER): a buffer’s type, size and offset in the PAC. Buffers start on 8-byte boundaries and must not overlap.',
        ref: `${P} §2.4`,
      },
    },
  },
  ...buffers(),
  KERB_VALIDATION_INFO,
  LogonInfoSids: {
    words: "The SIDs of the logon information, spelled out: what a service's access token would contain.",
    ref: LOGON,
    fields: {
      userSid: { words: "The user's SID: logonDomainId plus userId.", ref: LOGON },
      primaryGroupSid: { words: "The primary group's SID: logonDomainId plus primaryGroupId.", ref: LOGON },
      groupSids: { words: 'The SIDs of groupIds, in the logon domain.', ref: LOGON, items: '' },
      extraSids: { words: 'The SIDs of extraSids.', ref: LOGON, items: '' },
      resourceGroupSids: {
        words: 'The SIDs of the resource groups: resourceGroupDomainSid plus each RID.',
        ref: LOGON,
        items: '',
      },
    },
  },
  GROUP_MEMBERSHIP: {
    words: 'A group the account belongs to: its RID and attributes.',
    ref: `${P} §2.2.2`,
    fields: {
      relativeId: { words: 'The group’s RID, relative to the domain SID.', ref: `${P} §2.2.2` },
      attributes: {
        words: 'SE_GROUP_* attributes; 7 is mandatory, enabled by default, enabled.',
        ref: `${P} §2.2.2`,
      },
    },
  },
  KERB_SID_AND_ATTRIBUTES: {
    words: 'A full SID and its attributes.',
    ref: `${P} §2.2.1`,
    fields: {
      sid: { words: 'The SID.', ref: `${P} §2.2.1` },
      attributes: { words: 'SE_GROUP_* attributes of the SID.', ref: `${P} §2.2.1` },
    },
  },
  PAC_SIGNATURE_DATA: {
    words: 'A PAC signature: its type and value.',
    ref: `${P} §2.8`,
    fields: {
      signatureType: {
        words: 'The checksum type: 16 HMAC-SHA1-96-AES256, 15 the AES128 one, -138 HMAC-MD5 for RC4 keys.',
        ref: `${P} §2.8`,
      },
      signature: { words: 'The checksum value (key usage 17).', ref: `${P} §2.8` },
      rodcIdentifier: {
        words: 'Present when a read-only DC signed: which RODC’s krbtgt key was used.',
        ref: `${P} §2.8`,
      },
      trailing: {
        words: 'Bytes after the signature the playground keeps but does not interpret.',
        ref: `${P} §2.8`,
      },
    },
  },
  PAC_CLIENT_INFO: {
    words: "The client's name and authtime.",
    ref: `${P} §2.7`,
    fields: {
      clientId: { words: "The ticket's authtime, as a FILETIME.", ref: `${P} §2.7` },
      name: { words: "The client's name, without the realm.", ref: `${P} §2.7` },
    },
  },
  UPN_DNS_INFO: {
    words: "The user's UPN and domain.",
    ref: `${P} §2.10`,
    fields: {
      upn: { words: 'The user principal name (alice@corp.contoso.com).', ref: `${P} §2.10` },
      dnsDomainName: { words: "The DNS name of the user's domain.", ref: `${P} §2.10` },
      flags: {
        words: '1 (U): the UPN was made up, the account has none; 2 (S): the account name and SID follow.',
        ref: `${P} §2.10`,
      },
      samName: { words: 'The account name (sAMAccountName).', ref: `${P} §2.10` },
      sid: { words: "The user's SID.", ref: `${P} §2.10` },
    },
  },
  PAC_ATTRIBUTES_INFO: {
    words: 'Flags about the PAC.',
    ref: `${P} §2.14`,
    fields: {
      flagsLength: { words: 'How many flag bits are meaningful.', ref: `${P} §2.14` },
      flags: {
        words: 'The flags: 1 PAC_WAS_REQUESTED, 2 PAC_WAS_GIVEN_IMPLICITLY.',
        ref: `${P} §2.14`,
        items: '',
      },
    },
  },
  PAC_REQUESTOR: {
    words: 'The requesting account.',
    ref: `${P} §2.15`,
    fields: { sid: { words: 'The SID of the account that requested the ticket.', ref: `${P} §2.15` } },
  },
  PAC_DEVICE_INFO: {
    words: "The device account's identity and groups.",
    ref: `${P} §2.12`,
    fields: {
      userId: { words: "The device account's RID.", ref: `${P} §2.12` },
      primaryGroupId: {
        words: "The RID of the device's primary group (515, Domain Computers).",
        ref: `${P} §2.12`,
      },
      accountDomainId: { words: "The SID of the device's domain.", ref: `${P} §2.12` },
      accountGroupIds: groups("The device's groups in its domain.", `${P} §2.12`),
      extraSids: sids('Other SIDs of the device.', `${P} §2.12`),
      domainGroups: {
        words: 'Groups of other domains the device belongs to.',
        ref: `${P} §2.12`,
        items: 'DOMAIN_GROUP_MEMBERSHIP',
      },
    },
  },
  DOMAIN_GROUP_MEMBERSHIP: {
    words: 'Groups of one domain.',
    ref: `${P} §2.2.3`,
    fields: {
      domainId: { words: 'The domain’s SID.', ref: `${P} §2.2.3` },
      groupIds: groups('The groups, as RIDs in that domain.', `${P} §2.2.3`),
    },
  },
  CLAIMS_SET_METADATA: {
    words: 'A serialized claims set, possibly compressed; the playground shows it as bytes.',
    ref: `${P} §2.11`,
    fields: {
      compressionFormat: {
        words: 'How claimsSet is compressed: 0 none, 2 LZNT1, 3 XPRESS, 4 XPRESS_HUFF.',
        ref: `${P} §2.11`,
      },
      uncompressedSize: { words: 'The size of claimsSet once decompressed.', ref: `${P} §2.11` },
      claimsSet: { words: 'The claims set bytes.', ref: `${P} §2.11` },
      reservedType: { words: 'Reserved: 0.', ref: `${P} §2.11` },
      reservedField: { words: 'Reserved: empty.', ref: `${P} §2.11` },
    },
  },
};
