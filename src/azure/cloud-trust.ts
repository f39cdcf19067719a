/**
 * Windows Hello for Business cloud Kerberos trust, the device's and the domain's side:
 *
 * - `setUpCloudTrust`: the AzureADKerberos read-only DC object (CN=AzureADKerberos,OU=Domain Controllers)
 *   in the on-prem domain, its krbtgt account krbtgt_AzureAD with a fresh AES-256 key under the RODC kvno
 *   (MS-KILE 3.1.5.8), its allowed and denied password replication lists, and Entra's copy of the key
 *   (what `Set-AzureADKerberosServer` does; the copy's transport to Entra is modelled).
 * - `helloLogon`: a PIN sign-in. CloudAP's PRT response brings the cloud TGT and a partial TGT
 *   (partial-tgt.ts); the LSA sends that partial TGT to a writable DC in a TGS-REQ for krbtgt with
 *   KERB-KEY-LIST-REQ (etypes 18, 17 and 23, the NT hash for NTLM single sign-on), and gets a full TGT and
 *   the keys back (src/kdc/key-list.ts). A user the object may not cache gets "That option is temporarily
 *   unavailable" (0xc000006d, modelled).
 * - `rotateKerberosServerKey`: `Set-AzureADKerberosServer -RotateServerKey`: a new key version on the
 *   DCs and in Entra (the previous one kept on the DC); `kerberosServerStatus`: KeyVersion and
 *   CloudKeyVersion as `Get-AzureADKerberosServer` shows them.
 */
import { encodeKerbKeyListReq, decodeKerbKeyListRep, type EncryptionKey } from '../asn1';
import { PaType } from '../asn1/registry';
import { formatPrincipal, krbtgtName } from '../asn1/principal';
import { kerberosTimestamp } from '../asn1/time';
import { storeCredential, WINDOWS_TGS_OPTIONS, type CachedCredential } from '../client';
import { credentialOf } from '../client';
import { encodeTgsRequest, newNonce, openReply, readKdcReply, UNLIMITED } from '../client/messages';
import { etypeName, KeyUsage, randomKey } from '../crypto';
import { rodcKvno, splitKvno } from '../kdc';
import { sendToKdc, type World } from '../world';
import { cloudApSignIn } from './cloudap';
import { entraOf } from './entra';
import {
  device,
  emptyTicketCache,
  reported,
  say,
  setKdcProxyKnown,
  startLogonSession,
  type WindowsOutcome,
} from './windows-host';

export const AZUREAD_ACCOUNT = 'krbtgt_AzureAD';
/** What a user sees when cloud Kerberos trust cannot sign them in (docs/modelled.md). */
export const HELLO_UNAVAILABLE =
  'That option is temporarily unavailable. For now, please use a different method to sign in. (0xc000006d)';
/** Windows asks for its AES keys and the NT hash (etype 23) for NTLM single sign-on. */
const KEY_LIST_ETYPES = [18, 17, 23];

/** The AzureADKerberos object and krbtgt_AzureAD on the domain's KDCs, and Entra's copy of the key. */
export function setUpCloudTrust(world: World): void {
  const entra = entraOf(world);
  const ct = entra?.cloudTrust;
  if (!entra || !ct) return;
  const key = randomKey(18, world.random).bytes;
  const kvno = rodcKvno(ct.rodcId, 1);
  for (const kdc of world.kdcsServing(ct.domain)) {
    kdc.addPrincipal(ct.domain, {
      realm: ct.domain,
      name: { nameType: 1, nameString: [AZUREAD_ACCOUNT] },
      keys: [{ etype: 18, kvno, key: key.slice() }],
      requiresPreauth: true,
      disabled: false,
      noForwardable: false,
    });
    kdc.setRodc(ct.domain, {
      id: ct.rodcId,
      name: 'AzureADKerberos',
      account: AZUREAD_ACCOUNT,
      allowed: [...ct.allowed],
      denied: [...ct.denied],
    });
  }
  entra.kerberosServer = {
    domain: ct.domain,
    rodcId: ct.rodcId,
    account: AZUREAD_ACCOUNT,
    cloudKeyVersion: 1,
    key,
  };
}

/** A Windows Hello for Business (PIN) sign-in on a device with cloud Kerberos trust. */
export function helloLogon(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  say(world, host, 'logon', `${d.user} signs in on ${host} with a Windows Hello for Business PIN`);
  emptyTicketCache(world, host);
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
  d.session = 'active';
  const cloud = cloudApSignIn(world, host, 'logon', { partialTgt: true });
  const partial = d.cloudAp.partialTgt;
  if (!partial) {
    d.session = 'signed-out';
    delete d.logonId;
    return reported(world, host, 'logon', {
      ok: false,
      output: `${HELLO_UNAVAILABLE}: no partial TGT; ${cloud}`,
    });
  }
  const r = exchangePartialTgt(world, host, partial);
  delete d.cloudAp.partialTgt;
  if (!r.ok) {
    d.session = 'signed-out';
    delete d.logonId;
    emptyTicketCache(world, host);
    return reported(world, host, 'logon', {
      ok: false,
      ...(r.code !== undefined ? { errorCode: r.code } : {}),
      output: `${HELLO_UNAVAILABLE} (the DC refused the partial TGT: ${r.why})`,
    });
  }
  d.logonKind = 'online';
  startLogonSession(world, d);
  d.pinLogon = true;
  return {
    ok: true,
    realm: r.tgt.server.realm,
    output: `signed in with Windows Hello; full on-prem TGT from the DC; ${r.keys.length} key(s) for NTLM single sign-on; ${cloud}`,
  };
}

type Exchanged =
  { ok: true; tgt: CachedCredential; keys: EncryptionKey[] } | { ok: false; code?: number; why: string };

/**
 * The TGS-REQ for krbtgt that presents the partial TGT: the DC answers it with a full TGT, and its
 * KERB-KEY-LIST-REQ adds the user's keys to the reply.
 */
function exchangePartialTgt(world: World, host: string, partial: CachedCredential): Exchanged {
  const realm = partial.server.realm;
  const nonce = newNonce(world.random);
  const { time, usec } = kerberosTimestamp(world.hostNow(host));
  const bytes = encodeTgsRequest({
    realm,
    sname: krbtgtName(realm),
    options: WINDOWS_TGS_OPTIONS,
    etypes: [18, 17, 23],
    till: UNLIMITED,
    nonce,
    tgt: partial,
    ctime: { time, usec },
    random: world.random,
    padata: [{ padataType: PaType.KERB_KEY_LIST_REQ, padataValue: encodeKerbKeyListReq(KEY_LIST_ETYPES) }],
  });
  const { rodcId, version } = splitKvno(partial.ticketKvno ?? 0);
  const sent = sendToKdc(world, host, realm, bytes, [
    {
      actor: `${host} LSA`,
      stage: 'tgs',
      text: `cloud Kerberos trust: the LSA sends the partial TGT (kvno ${partial.ticketKvno}: RODC ${rodcId}, version ${version}) to a writable DC and asks for krbtgt/${realm} with KERB-KEY-LIST-REQ (${KEY_LIST_ETYPES.map(etypeName).join(', ')}; 23 is the NT hash, for NTLM single sign-on)`,
      ok: true,
    },
  ]);
  if (!sent.reply) return { ok: false, why: sent.failure?.text ?? 'no answer' };
  const answer = readKdcReply(sent.reply, 'TGS-REP');
  if (answer.type === 'KRB-ERROR')
    return {
      ok: false,
      code: answer.error.errorCode,
      why: answer.error.eText ?? `error ${answer.error.errorCode}`,
    };
  const part = openReply(
    answer.rep,
    partial.sessionKey,
    KeyUsage.TGS_REP_ENCPART_SESSKEY,
    'the partial TGT session key',
  );
  if (part.nonce !== nonce) return { ok: false, why: 'the reply answers another request (nonce)' };
  const tgt = credentialOf(answer.rep, part, world.locatorFor(host, realm)?.host ?? realm);
  const rep = part.encryptedPaData?.find((p) => p.padataType === PaType.KERB_KEY_LIST_REP);
  const keys = rep ? decodeKerbKeyListRep(rep.padataValue) : [];
  storeCredential(world.client(host).cache, tgt);
  say(
    world,
    host,
    'kerberos',
    `Kerberos holds the full TGT ${formatPrincipal(tgt.server)} from the DC; KERB-KEY-LIST-REP brought ${keys.map((k) => etypeName(k.keytype)).join(', ') || 'no keys'}${keys.some((k) => k.keytype === 23) ? ': the NT hash lets NTLM sign in without a password' : ''}`,
  );
  return { ok: true, tgt, keys };
}

/** `Set-AzureADKerberosServer -RotateServerKey`: a new key version on the domain's DCs and in Entra. */
export function rotateKerberosServerKey(world: World, host: string, cloudToo: boolean): WindowsOutcome {
  const entra = entraOf(world);
  const server = entra?.kerberosServer;
  if (!entra || !server)
    return reported(world, host, 'Set-AzureADKerberosServer', {
      ok: false,
      output: 'no AzureADKerberos object: cloud Kerberos trust is not set up',
    });
  const key = randomKey(18, world.random).bytes;
  let version = 0;
  for (const kdc of world.kdcsServing(server.domain)) {
    const entry = kdc.entries(`${AZUREAD_ACCOUNT}@${server.domain}`, server.domain)[0];
    if (!entry) continue;
    version = Math.max(...entry.keys.map((k) => splitKvno(k.kvno).version)) + 1;
    const newest = entry.keys.filter((k) => splitKvno(k.kvno).version === version - 1);
    kdc.setKeys(`${AZUREAD_ACCOUNT}@${server.domain}`, [
      { etype: 18, kvno: rodcKvno(server.rodcId, version), key },
      ...newest,
    ]);
  }
  if (cloudToo) {
    server.cloudKeyVersion = version;
    server.key = key.slice();
  }
  say(
    world,
    host,
    'Set-AzureADKerberosServer',
    `modelled: Set-AzureADKerberosServer -RotateServerKey: krbtgt_AzureAD key version ${version} on the DCs (the previous version kept)${cloudToo ? ', and the new key sent to Entra' : '; Entra was not updated'}`,
  );
  return { ok: true, output: kerberosServerStatus(world) };
}

/** What `Get-AzureADKerberosServer` shows (modelled): the object, KeyVersion and CloudKeyVersion. */
export function kerberosServerStatus(world: World): string {
  const server = entraOf(world)?.kerberosServer;
  if (!server) return 'no AzureADKerberos object in this world';
  const entry = world
    .kdcsServing(server.domain)[0]
    ?.entries(`${AZUREAD_ACCOUNT}@${server.domain}`, server.domain)[0];
  const keyVersion = Math.max(0, ...(entry?.keys ?? []).map((k) => splitKvno(k.kvno).version));
  const row = (k: string, v: string | number) => `${k.padEnd(20)} : ${v}`;
  return [
    row('Id', server.rodcId),
    row(
      'UserAccount',
      `CN=${AZUREAD_ACCOUNT},CN=Users,DC=${server.domain.toLowerCase().split('.').join(',DC=')}`,
    ),
    row(
      'ComputerAccount',
      `CN=AzureADKerberos,OU=Domain Controllers,DC=${server.domain.toLowerCase().split('.').join(',DC=')}`,
    ),
    row('DisplayName', AZUREAD_ACCOUNT),
    row('DomainDnsName', server.domain.toLowerCase()),
    row('KeyVersion', rodcKvno(server.rodcId, keyVersion) >>> 0),
    row('CloudKeyVersion', rodcKvno(server.rodcId, server.cloudKeyVersion) >>> 0),
  ].join('\n');
}
