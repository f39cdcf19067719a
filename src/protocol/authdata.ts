/**
 * Where the PAC sits in a ticket: AuthorizationData { AD-IF-RELEVANT { AD-WIN2K-PAC } } (MS-PAC §2.1,
 * RFC 4120 §5.2.6.1). Shared by the KDC that writes it and the services and decoders that read it.
 */
import { decodeAuthorizationData, encodeAuthorizationData, type AuthorizationData } from '../asn1';
import { AdType } from '../asn1/registry';

/** Wraps PAC bytes the way Active Directory does. */
export function wrapPac(pac: Uint8Array): AuthorizationData {
  return [
    {
      adType: AdType.AD_IF_RELEVANT,
      adData: encodeAuthorizationData([{ adType: AdType.AD_WIN2K_PAC, adData: pac }]),
    },
  ];
}

/** The PAC bytes inside AD-IF-RELEVANT { AD-WIN2K-PAC }, if the ticket has one. */
export function findPacIn(ad: AuthorizationData | undefined): Uint8Array | undefined {
  for (const entry of ad ?? []) {
    if (entry.adType !== AdType.AD_IF_RELEVANT) continue;
    try {
      const pac = decodeAuthorizationData(entry.adData).find((e) => e.adType === AdType.AD_WIN2K_PAC);
      if (pac) return pac.adData;
    } catch {
      continue;
    }
  }
  return undefined;
}
