/**
 * Kerberos error codes: the `error-code` of KRB-ERROR (RFC 4120 §5.9.1), the complete table of RFC 4120
 * §7.5.9 (0–76, with the gaps the RFC leaves at 30, 43 and 53–59), then PKINIT's additions (RFC 4556),
 * IAKERB's (draft-ietf-kitten-iakerb) and FAST's (RFC 6113 §6.1).
 *
 * Each entry says, for a learner, what the code means, what usually causes it and how to fix it. Several
 * codes are not failures at all: 25 (KDC_ERR_PREAUTH_REQUIRED) opens nearly every logon, 52 asks for a
 * retry over TCP, 68 can be a referral and 91 continues a multi-step pre-authentication.
 *
 * Windows event logs (4768, 4769, 4771) show these codes in hex: 0x18 is 24, 0x25 is 37.
 */
import { constantsOf, defineRegistry, type RegistryEntry } from './table';

/** An error code with its cause and fix. */
export interface ErrorCodeEntry extends RegistryEntry {
  /** What typically leads to this error. */
  readonly cause: string;
  /** What to do about it, concretely. */
  readonly fix: string;
}

interface ErrorText {
  readonly summary: string;
  readonly cause: string;
  readonly fix: string;
  readonly source: string;
  readonly aliases?: readonly string[];
}

/** One row: for error codes the code name, the RFC name and the constant key are the same string. */
function code<const V extends number, const N extends string>(
  value: V,
  name: N,
  text: ErrorText,
): ErrorCodeEntry & { readonly value: V; readonly key: N; readonly name: N } {
  return Object.freeze({ value, key: name, name, ...text });
}

const RFC4120 = 'RFC 4120 §7.5.9';
const PKINIT = 'RFC 4120 §7.5.9 (reserved), RFC 4556';
const PKINIT_NEW = 'RFC 4556';
const IAKERB = 'draft-ietf-kitten-iakerb';

const errorCodeTable = [
  code(0, 'KDC_ERR_NONE', {
    summary: 'No error: the request succeeded.',
    cause: 'Nothing went wrong; 0 only appears where a field needs a value that means success.',
    fix: 'Nothing to do.',
    source: RFC4120,
  }),
  code(1, 'KDC_ERR_NAME_EXP', {
    summary: 'The client’s account has expired in the KDC’s database.',
    cause:
      'The account’s expiry date has passed (MIT: the principal’s expiration; Windows mostly reports this as 18).',
    fix: 'An administrator extends or clears the expiry: kadmin -q "modprinc -expire never alice", or set "Account expires" to Never in AD.',
    source: RFC4120,
  }),
  code(2, 'KDC_ERR_SERVICE_EXP', {
    summary: 'The service’s account has expired in the KDC’s database.',
    cause: 'The service principal’s expiry date has passed.',
    fix: 'An administrator extends or clears the service account’s expiry (kadmin modprinc -expire never …).',
    source: RFC4120,
  }),
  code(3, 'KDC_ERR_BAD_PVNO', {
    summary: 'The request uses a Kerberos protocol version other than 5.',
    cause: 'A Kerberos 4 client, or something that is not Kerberos at all, sent to port 88.',
    fix: 'Use a Kerberos 5 client, and check that what is sent to port 88 really is a Kerberos message.',
    source: RFC4120,
  }),
  code(4, 'KDC_ERR_C_OLD_MAST_KVNO', {
    summary: 'The client’s key is stored under an old KDC master key the KDC no longer has.',
    cause: 'The KDC’s database master key was rolled over and this entry was never re-encrypted.',
    fix: 'On an MIT KDC run kdb5_util update_princ_encryption, or reset the account’s password.',
    source: RFC4120,
  }),
  code(5, 'KDC_ERR_S_OLD_MAST_KVNO', {
    summary: 'The service’s key is stored under an old KDC master key the KDC no longer has.',
    cause: 'The KDC’s database master key was rolled over and this service entry was never re-encrypted.',
    fix: 'On an MIT KDC run kdb5_util update_princ_encryption, or give the service a new key (and keytab).',
    source: RFC4120,
  }),
  code(6, 'KDC_ERR_C_PRINCIPAL_UNKNOWN', {
    summary: 'The KDC has no account with the client name in the request.',
    cause:
      'A typo in the user name, the wrong realm (realms are case-sensitive: EXAMPLE.TEST, not example.test), or an account not created yet or not yet replicated to this domain controller.',
    fix: 'Check the name and realm (kinit alice@EXAMPLE.TEST); create the principal (kadmin addprinc alice) or wait for AD replication.',
    source: RFC4120,
  }),
  code(7, 'KDC_ERR_S_PRINCIPAL_UNKNOWN', {
    summary: 'The KDC has no account for the service you asked a ticket for.',
    cause:
      'No account carries that SPN: the client used an IP address or a DNS alias instead of the name the SPN was registered with, the SPN was never registered, or the request went to the wrong realm. Windows then falls back to NTLM. MIT answers it too when the service principal is marked -allow_tix.',
    fix: 'Register the SPN (setspn -S cifs/fs1.example.test FS1, or kadmin addprinc -randkey cifs/fs1.example.test), connect by the registered name, or map the host to the right realm (ksetup /addhosttorealmmap, [domain_realm]). MIT answers it too for a service principal marked -allow_tix.',
    source: RFC4120,
  }),
  code(8, 'KDC_ERR_PRINCIPAL_NOT_UNIQUE', {
    summary: 'More than one account has this name.',
    cause: 'Two accounts carry the same SPN or user principal name (a "duplicate SPN").',
    fix: 'Find the duplicates with setspn -X (or setspn -Q <spn>) and remove the name from the wrong account.',
    source: RFC4120,
  }),
  code(9, 'KDC_ERR_NULL_KEY', {
    summary: 'The client or service has no usable key in the database.',
    cause: 'The account was created without a password or key, or has no key of any type the KDC may use.',
    fix: 'Set a password or a random key (kadmin cpw / cpw -randkey), or reset the account’s password in AD.',
    source: RFC4120,
  }),
  code(10, 'KDC_ERR_CANNOT_POSTDATE', {
    summary: 'This ticket cannot be postdated.',
    cause:
      'A postdated ticket was requested (kinit -s) but the TGT lacks may-postdate or policy forbids postdating.',
    fix: 'Ask without a future start time, or get a TGT that allows postdating where the realm permits it.',
    source: RFC4120,
  }),
  code(11, 'KDC_ERR_NEVER_VALID', {
    summary: 'The requested times make no sense: the ticket would end before it starts.',
    cause:
      'The start time is after the end time or the lifetime is below the minimum, often because the client’s clock is far off or the requested end time is already past.',
    fix: 'Ask for a sensible lifetime (kinit -l 10h) and check the client’s clock.',
    source: RFC4120,
  }),
  code(12, 'KDC_ERR_POLICY', {
    summary: 'The KDC’s policy refuses this request.',
    cause:
      'Something the account or realm forbids: logon-hour or workstation restrictions, Protected Users or an authentication policy silo (AD), a service that demands a particular pre-authentication, or MIT principal flags (a proxiable ticket asked for a principal marked -allow_proxiable).',
    fix: 'Read the e-text and e-data (Windows puts an NTSTATUS there) and the KDC log, then relax the restriction or use an allowed path.',
    source: RFC4120,
  }),
  code(13, 'KDC_ERR_BADOPTION', {
    summary: 'The KDC cannot do one of the options you asked for.',
    cause:
      'An option the ticket or account does not allow: renewing a ticket that is not renewable, forwarding a non-forwardable TGT, or S4U2proxy (cname-in-addl-tkt) to a service the requester may not delegate to.',
    fix: 'Compare the request’s kdc-options with the ticket’s flags, and check delegation settings (msDS-AllowedToDelegateTo, resource-based delegation).',
    source: RFC4120,
  }),
  code(14, 'KDC_ERR_ETYPE_NOSUPP', {
    summary: 'No encryption type both sides accept.',
    cause:
      'The client offers only encryption types the account has no keys for: an AES-only client and an account whose password predates AES, RC4 disabled while the account has only RC4 keys, or msDS-SupportedEncryptionTypes excluding what the client asks for.',
    fix: 'Compare the etype list in the request with the account’s keys (klist -e, kadmin getprinc); reset the password so AES keys exist, or align the allowed encryption types on both sides.',
    source: RFC4120,
    aliases: ['KDC_ERR_ETYPE_NOTSUPP'],
  }),
  code(15, 'KDC_ERR_SUMTYPE_NOSUPP', {
    summary: 'The KDC does not support the checksum type used.',
    cause:
      'An old or unknown checksum type (for example DES-based) in the authenticator or pre-authentication data.',
    fix: 'Use a current encryption type such as AES, whose checksums every KDC supports; update old clients.',
    source: RFC4120,
  }),
  code(16, 'KDC_ERR_PADATA_TYPE_NOSUPP', {
    summary: 'The KDC does not support the pre-authentication type you used.',
    cause:
      'For example a smart-card (PKINIT) logon to a KDC without PKINIT, or a padata type the KDC does not implement; MIT also answers this when asked for resource-based delegation it cannot do.',
    fix: 'Use a method from the list the KDC sends in the error’s e-data (METHOD-DATA), or set up PKINIT on the KDC.',
    source: RFC4120,
  }),
  code(17, 'KDC_ERR_TRTYPE_NOSUPP', {
    summary: 'The KDC does not understand how the ticket lists the realms it passed through.',
    cause: 'A cross-realm ticket uses a transited encoding other than DOMAIN-X500-COMPRESS.',
    fix: 'Rare; check the software of the realm that issued the cross-realm ticket.',
    source: RFC4120,
  }),
  code(18, 'KDC_ERR_CLIENT_REVOKED', {
    summary: 'The client’s credentials are revoked: the account cannot be used right now.',
    cause:
      'Windows: the account is disabled, locked out, expired or outside its logon hours. MIT: the principal is locked out after too many wrong passwords, or marked -allow_tix.',
    fix: 'Enable or unlock the account (Unlock-ADAccount, or kadmin modprinc -unlock alice) and find whatever keeps sending the wrong password.',
    source: RFC4120,
  }),
  code(19, 'KDC_ERR_SERVICE_REVOKED', {
    summary: 'The service’s credentials are revoked.',
    cause: 'The service account is disabled or locked (Windows). MIT does not send it: see 7 and 27.',
    fix: 'Enable the service account again.',
    source: RFC4120,
  }),
  code(20, 'KDC_ERR_TGT_REVOKED', {
    summary: 'The TGT you presented is no longer accepted.',
    cause:
      'The user was disabled or locked after the TGT was issued, the krbtgt key it was made with is gone, or a read-only DC cannot vouch for the user.',
    fix: 'Get a new TGT: kdestroy then kinit, or on Windows klist purge and lock/unlock (sign in again).',
    source: RFC4120,
  }),
  code(21, 'KDC_ERR_CLIENT_NOTYET', {
    summary: 'The client’s account is not valid yet.',
    cause: 'The account has a start date in the future.',
    fix: 'Wait for the start date, or have an administrator change it.',
    source: RFC4120,
  }),
  code(22, 'KDC_ERR_SERVICE_NOTYET', {
    summary: 'The service’s account is not valid yet.',
    cause: 'The service principal has a start date in the future.',
    fix: 'Wait for the start date, or have an administrator change it.',
    source: RFC4120,
  }),
  code(23, 'KDC_ERR_KEY_EXPIRED', {
    summary: 'The password has expired and must be changed.',
    cause: 'The password passed its maximum age, or "User must change password at next logon" is set.',
    fix: 'Change the password (kpasswd, or Ctrl+Alt+Del on Windows), then log on again.',
    source: RFC4120,
    aliases: ['KDC_ERR_KEY_EXP'],
  }),
  code(24, 'KDC_ERR_PREAUTH_FAILED', {
    summary: 'The pre-authentication was wrong: almost always a wrong password.',
    cause:
      'The encrypted timestamp did not decrypt with the account’s key: a wrong password, a salt that no longer matches (the account was renamed), or a keytab holding an old key.',
    fix: 'Type the password again; for a keytab, export it anew (ktpass, or kadmin ktadd) and compare key versions (kvno). Repeated failures can lock the account (error 18).',
    source: RFC4120,
  }),
  code(25, 'KDC_ERR_PREAUTH_REQUIRED', {
    summary: 'Not a failure: the KDC wants you to prove who you are first (pre-authentication).',
    cause:
      'The first AS-REQ carried no pre-authentication; the KDC answers with this code and, in e-data, the methods and salts it accepts (ETYPE-INFO2). Nearly every logon starts this way.',
    fix: 'Nothing: the client retries with PA-ENC-TIMESTAMP. If nothing follows, the client could not make its key (no password was given).',
    source: RFC4120,
  }),
  code(26, 'KDC_ERR_SERVER_NOMATCH', {
    summary: 'The requested server and the ticket you presented do not match.',
    cause:
      'A ticket presented for renewal, validation or user-to-user names a different server than the request.',
    fix: 'Request the ticket again for the right service.',
    source: RFC4120,
  }),
  code(27, 'KDC_ERR_MUST_USE_USER2USER', {
    summary: 'This service can only be reached with user-to-user authentication.',
    cause:
      'The service has no long-term key the KDC may encrypt tickets in (it is a user running a service). MIT also answers it for a service principal marked -allow_svr.',
    fix: 'Use user-to-user: obtain the service’s TGT and ask with the enc-tkt-in-skey option.',
    source: RFC4120,
  }),
  code(28, 'KDC_ERR_PATH_NOT_ACCEPTED', {
    summary: 'The KDC rejects the chain of realms this cross-realm request came through.',
    cause: 'The transited path includes a realm this KDC does not accept on that route.',
    fix: 'Correct the trust path: [capaths] in the KDC’s krb5.conf, or the forest/realm trust configuration.',
    source: RFC4120,
  }),
  code(29, 'KDC_ERR_SVC_UNAVAILABLE', {
    summary: 'A service the KDC needs to answer is unavailable.',
    cause:
      'The KDC cannot reach its database (an LDAP backend is down), or a KDC proxy cannot reach the KDC behind it.',
    fix: 'Try another KDC; check the KDC’s backend and logs.',
    source: RFC4120,
  }),
  code(31, 'KRB_AP_ERR_BAD_INTEGRITY', {
    summary: 'Decryption failed its integrity check: the key used was not the right one.',
    cause:
      'A ticket or authenticator encrypted in a key the receiver does not have: the krbtgt or service password changed, a stale ticket after an account reset, or an outdated keytab. In a TGS-REQ the KDC could not open the TGT or authenticator.',
    fix: 'Get fresh tickets (kdestroy or klist purge, then log on again); bring the service keytab in line with the account (compare kvno).',
    source: RFC4120,
  }),
  code(32, 'KRB_AP_ERR_TKT_EXPIRED', {
    summary: 'The ticket has expired.',
    cause:
      'Its end time has passed (TGTs last about 10 hours by default). Clients normally just fetch a new ticket.',
    fix: 'Renew (kinit -R) or get a new TGT (kinit); on Windows lock and unlock, or klist purge. If it happens right after logon, compare the clocks.',
    source: RFC4120,
  }),
  code(33, 'KRB_AP_ERR_TKT_NYV', {
    summary: 'The ticket is not valid yet.',
    cause:
      'Its start time is still in the future for the receiver: usually the receiver’s clock is behind, or the ticket is postdated.',
    fix: 'Synchronise the clocks (w32tm /resync, chronyc makestep); for a postdated ticket wait for its start time and validate it.',
    source: RFC4120,
  }),
  code(34, 'KRB_AP_ERR_REPEAT', {
    summary: 'The server has already seen this exact authenticator, so it looks like a replay.',
    cause:
      'The same AP-REQ arrived twice: a retransmission, a proxy replaying it, an attacker, or two services sharing one replay cache because of a duplicate SPN.',
    fix: 'Usually passes on retry; if it persists look for duplicated traffic, clients that reuse authenticators, or duplicate SPNs.',
    source: RFC4120,
  }),
  code(35, 'KRB_AP_ERR_NOT_US', {
    summary: 'The ticket is for a different service than the one that received it.',
    cause:
      'The client got a ticket for one name but reached a server holding another name’s key (a load balancer or DNS mix-up).',
    fix: 'Make the SPN match the host name clients use, and give every server behind that name the same key.',
    source: RFC4120,
  }),
  code(36, 'KRB_AP_ERR_BADMATCH', {
    summary: 'The ticket and the authenticator do not belong together.',
    cause:
      'The client name or realm in the authenticator differs from the one in the ticket: faulty client software or a forged request.',
    fix: 'Get fresh tickets; if it persists, the client software is at fault.',
    source: RFC4120,
  }),
  code(37, 'KRB_AP_ERR_SKEW', {
    summary: 'Your clock is more than 5 minutes away from the KDC’s or the server’s.',
    cause:
      'The clocks differ by more than the allowed skew (5 minutes by default): a machine that does not synchronise time, a wrong time zone, or a virtual machine resumed from suspend.',
    fix: 'Synchronise time: w32tm /resync on Windows, chronyc makestep (or restart chronyd) on Linux. MIT clients retry on their own using the KDC’s time (kdc_timesync).',
    source: RFC4120,
  }),
  code(38, 'KRB_AP_ERR_BADADDR', {
    summary: 'The request came from an address the ticket does not list.',
    cause: 'An address-restricted ticket (noaddresses = false) used through NAT or from another machine.',
    fix: 'Use tickets without addresses (noaddresses = true, the default), or send from the listed address.',
    source: RFC4120,
  }),
  code(39, 'KRB_AP_ERR_BADVERSION', {
    summary: 'Protocol version mismatch.',
    cause: 'The message’s protocol version is not 5, or the application protocol versions differ.',
    fix: 'Use Kerberos 5 software on both sides.',
    source: RFC4120,
  }),
  code(40, 'KRB_AP_ERR_MSG_TYPE', {
    summary: 'The message is not of the type expected here.',
    cause: 'For example an AP-REQ sent where a KDC request was expected, or a message that is not Kerberos.',
    fix: 'Check what the client sends to which port: 88 is the KDC; services expect an AP-REQ inside their own protocol.',
    source: RFC4120,
  }),
  code(41, 'KRB_AP_ERR_MODIFIED', {
    summary: 'The message was altered, or is encrypted in a key the receiver does not have.',
    cause:
      'In practice: the service could not decrypt its ticket because the KDC used a different key, after the service password changed without a keytab update, or because the SPN sits on the wrong (or on two) accounts.',
    fix: 'Find which account holds the SPN (setspn -Q), export the keytab again (ktpass, or kadmin ktadd) and compare key versions; remove duplicate SPNs.',
    source: RFC4120,
  }),
  code(42, 'KRB_AP_ERR_BADORDER', {
    summary: 'A message arrived out of order.',
    cause: 'A KRB-SAFE or KRB-PRIV sequence number is not the one expected.',
    fix: 'Usually a transport or application problem; start a new session.',
    source: RFC4120,
  }),
  code(44, 'KRB_AP_ERR_BADKEYVER', {
    summary: 'The service does not have the key version the ticket was encrypted with.',
    cause:
      'The ticket’s kvno is not in the service’s keytab: the password changed (the kvno went up) but the keytab still holds the old key.',
    fix: 'Export a keytab with the current key, then compare "kvno <service>" with "klist -kt <keytab>".',
    source: RFC4120,
  }),
  code(45, 'KRB_AP_ERR_NOKEY', {
    summary: 'The service has no key for this ticket.',
    cause:
      'No keytab entry for the service principal or for the ticket’s encryption type (an AES-256 ticket, a keytab with only RC4).',
    fix: 'Add the missing key to the keytab (for example kadmin ktadd -e aes256-cts-hmac-sha1-96:normal …).',
    source: RFC4120,
  }),
  code(46, 'KRB_AP_ERR_MUT_FAIL', {
    summary: 'Mutual authentication failed: the server could not prove who it is.',
    cause:
      'The AP-REP did not decrypt, or did not echo the authenticator’s time: a key mismatch, or someone impersonating the server.',
    fix: 'Treat it as a possible attack; otherwise check the service’s keys.',
    source: RFC4120,
  }),
  code(47, 'KRB_AP_ERR_BADDIRECTION', {
    summary: 'The message travelled in the wrong direction.',
    cause:
      'A KRB-SAFE or KRB-PRIV whose direction marker belongs to the other side: a message reflected back at its sender.',
    fix: 'Possibly a reflection attack; check the application.',
    source: RFC4120,
  }),
  code(48, 'KRB_AP_ERR_METHOD', {
    summary: 'The server wants a different authentication method.',
    cause: 'The application requires a method other than the one used (it may list it in e-data).',
    fix: 'Authenticate with the method the server asks for.',
    source: RFC4120,
  }),
  code(49, 'KRB_AP_ERR_BADSEQ', {
    summary: 'The message’s sequence number is wrong.',
    cause:
      'A KRB-SAFE or KRB-PRIV carries a sequence number other than the expected one: lost or duplicated messages.',
    fix: 'Start a new session; look for lost or duplicated messages.',
    source: RFC4120,
  }),
  code(50, 'KRB_AP_ERR_INAPP_CKSUM', {
    summary: 'The checksum type does not fit this message.',
    cause:
      'An unkeyed checksum where a keyed one is needed, or a checksum type that does not match the key’s encryption type.',
    fix: 'Use client software that makes keyed checksums matching the session key.',
    source: RFC4120,
  }),
  code(51, 'KRB_AP_PATH_NOT_ACCEPTED', {
    summary: 'The service rejects the realms this ticket passed through.',
    cause: 'The application server does not trust one of the realms on the ticket’s transited path.',
    fix: 'Correct [capaths] or the trust configuration on the server’s side.',
    source: RFC4120,
  }),
  code(52, 'KRB_ERR_RESPONSE_TOO_BIG', {
    summary: 'The answer does not fit in UDP; ask again over TCP.',
    cause:
      'The reply, often a ticket with a large PAC for a user in many groups, is too big for a UDP datagram.',
    fix: 'Nothing: clients retry over TCP on their own. To skip the extra round trip, use TCP first (udp_preference_limit = 1).',
    source: RFC4120,
  }),
  code(60, 'KRB_ERR_GENERIC', {
    summary: 'A generic error; the e-text explains.',
    cause:
      'Something without a specific code: a malformed request, an internal KDC problem, or (Windows) a failure whose NTSTATUS is in e-data.',
    fix: 'Read e-text, e-data and the KDC log.',
    source: RFC4120,
  }),
  code(61, 'KRB_ERR_FIELD_TOOLONG', {
    summary: 'A field, or the whole message, is too long for the receiver.',
    cause:
      'An oversized name or message; over TCP, a 4-byte length prefix larger than the KDC accepts (often a framing mistake).',
    fix: 'Shorten the name, or check the TCP framing (a 4-byte big-endian length, then the message).',
    source: RFC4120,
  }),
  code(62, 'KDC_ERROR_CLIENT_NOT_TRUSTED', {
    summary: 'PKINIT: the KDC does not trust the client’s certificate.',
    cause:
      'The certificate’s issuing CA is not trusted by the KDC (the NTAuth store, or MIT pkinit_anchors), or the certificate is revoked.',
    fix: 'Make the KDC trust the CA (NTAuth, pkinit_anchors) or use a certificate from a CA it trusts.',
    source: PKINIT,
  }),
  code(63, 'KDC_ERROR_KDC_NOT_TRUSTED', {
    summary: 'PKINIT: the client does not trust the KDC’s certificate.',
    cause:
      'The KDC certificate’s CA is unknown to the client, or the certificate lacks the KDC purpose or the right name.',
    fix: 'Make the client trust the CA; give the KDC a proper KDC certificate (Windows "Kerberos Authentication" template).',
    source: PKINIT,
  }),
  code(64, 'KDC_ERROR_INVALID_SIG', {
    summary: 'PKINIT: a signature did not verify.',
    cause:
      'The signed request was made with the wrong key, was damaged, or uses an algorithm the KDC does not accept.',
    fix: 'Check the certificate and smart card, or enrol again.',
    source: PKINIT,
  }),
  code(65, 'KDC_ERR_KEY_TOO_WEAK', {
    summary: 'PKINIT: the client’s key-agreement parameters are not accepted (too weak).',
    cause:
      'The Diffie-Hellman group is too small or not allowed; the KDC lists acceptable ones in TD-DH-PARAMETERS. RFC 4556 renamed the code KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED.',
    fix: 'Use a larger Diffie-Hellman group, one the KDC offers (MIT: pkinit_dh_min_bits).',
    source: PKINIT,
    aliases: ['KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED'],
  }),
  code(66, 'KDC_ERR_CERTIFICATE_MISMATCH', {
    summary: 'PKINIT: the certificate does not belong to the account asked for.',
    cause:
      'The certificate maps to another principal (its UPN or name does not match, or the altSecurityIdentities mapping is wrong).',
    fix: 'Use the certificate issued for that account, or correct the mapping.',
    source: PKINIT,
  }),
  code(67, 'KRB_AP_ERR_NO_TGT', {
    summary: 'User-to-user: no TGT was supplied to check the request against.',
    cause: 'A user-to-user request needs the server’s TGT as an additional ticket, and none came.',
    fix: 'Send the server’s TGT in additional-tickets.',
    source: RFC4120,
  }),
  code(68, 'KDC_ERR_WRONG_REALM', {
    summary: 'This KDC is not the one to ask; the reply names the realm that is.',
    cause:
      'An RFC 6806 client referral: the enterprise name (alice@contoso.com) or canonicalized name lives in another realm, named in the error’s crealm. Also: the request names a realm this KDC does not serve.',
    fix: 'A referral-aware client simply asks the named realm. Otherwise check the realm and KDC list in krb5.conf ([realms], [domain_realm]).',
    source: 'RFC 4120 §7.5.9, RFC 6806 §7',
  }),
  code(69, 'KRB_AP_ERR_USER_TO_USER_REQUIRED', {
    summary: 'The server only accepts user-to-user tickets.',
    cause: 'The service has no long-term key and wants a ticket encrypted in its TGT’s session key.',
    fix: 'Use user-to-user authentication (enc-tkt-in-skey with the server’s TGT).',
    source: RFC4120,
  }),
  code(70, 'KDC_ERR_CANT_VERIFY_CERTIFICATE', {
    summary: 'PKINIT: the KDC could not verify the client’s certificate.',
    cause:
      'The chain to a trusted CA cannot be built: a missing intermediate CA, or an unreachable issuer location.',
    fix: 'Make the whole chain available to the KDC.',
    source: PKINIT,
  }),
  code(71, 'KDC_ERR_INVALID_CERTIFICATE', {
    summary: 'PKINIT: the client’s certificate is not valid.',
    cause: 'Expired, not yet valid, or without the key usage a logon certificate needs.',
    fix: 'Enrol a new certificate from a logon template (Smart Card Logon / Client Authentication).',
    source: PKINIT,
  }),
  code(72, 'KDC_ERR_REVOKED_CERTIFICATE', {
    summary: 'PKINIT: the client’s certificate has been revoked.',
    cause: 'The CA revoked it (lost card, left the company, re-issued).',
    fix: 'Enrol a new certificate.',
    source: PKINIT,
  }),
  code(73, 'KDC_ERR_REVOCATION_STATUS_UNKNOWN', {
    summary: 'PKINIT: nobody could say whether the certificate is revoked.',
    cause: 'The revocation list or OCSP responder has no status for this certificate.',
    fix: 'Check that the CA publishes revocation information for it.',
    source: PKINIT,
  }),
  code(74, 'KDC_ERR_REVOCATION_STATUS_UNAVAILABLE', {
    summary: 'PKINIT: the revocation check could not be done.',
    cause: 'The KDC could not fetch the CRL or reach the OCSP responder (an offline CA, an expired CRL).',
    fix: 'Publish a fresh CRL and make its location reachable from the KDC.',
    source: PKINIT,
  }),
  code(75, 'KDC_ERR_CLIENT_NAME_MISMATCH', {
    summary: 'PKINIT: the name in the client’s certificate is not the name in the request.',
    cause: 'The certificate’s subject alternative name (UPN or PKINIT name) names someone else.',
    fix: 'Log on as the principal the certificate names, or have it re-issued.',
    source: PKINIT,
  }),
  code(76, 'KDC_ERR_KDC_NAME_MISMATCH', {
    summary: 'PKINIT: the KDC’s certificate names a different KDC.',
    cause: 'The KDC certificate’s name (krbtgt/REALM or DNS name) is not what the client expects.',
    fix: 'Issue the KDC a certificate with the right name (MIT clients: pkinit_kdc_hostname).',
    source: PKINIT,
  }),
  code(77, 'KDC_ERR_INCONSISTENT_KEY_PURPOSE', {
    summary: 'PKINIT: the certificate is not meant for logging on.',
    cause: 'Its extended key usage lacks PKINIT client authentication or Smart Card Logon.',
    fix: 'Use a certificate issued for logon.',
    source: PKINIT_NEW,
  }),
  code(78, 'KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED', {
    summary: 'PKINIT: the certificate is signed with a hash the KDC refuses.',
    cause: 'A weak signature hash such as SHA-1 or MD5 on the certificate.',
    fix: 'Have the certificate re-issued with SHA-256 or better.',
    source: PKINIT_NEW,
  }),
  code(79, 'KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED', {
    summary: 'PKINIT: the request lacks the checksum that binds it to the request body.',
    cause: 'An old client that leaves out paChecksum.',
    fix: 'Update the client.',
    source: PKINIT_NEW,
  }),
  code(80, 'KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED', {
    summary: 'PKINIT: the request is signed with a hash the KDC refuses.',
    cause: 'The client signed with a weak hash such as SHA-1.',
    fix: 'Configure the client to sign with SHA-256 or better.',
    source: PKINIT_NEW,
  }),
  code(81, 'KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED', {
    summary: 'PKINIT: the KDC does not do the RSA key-transport mode the client asked for.',
    cause: 'The client asked for public-key encryption of the reply key; this KDC only does Diffie-Hellman.',
    fix: 'Use Diffie-Hellman mode, which current clients use by default.',
    source: PKINIT_NEW,
  }),
  code(85, 'KRB_AP_ERR_IAKERB_KDC_NOT_FOUND', {
    summary: 'IAKERB: the server relaying your KDC requests could not find a KDC.',
    cause: 'The application server acting as a proxy cannot locate a KDC for the realm.',
    fix: 'Let the server locate the realm’s KDC (DNS SRV records or krb5.conf).',
    source: IAKERB,
  }),
  code(86, 'KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE', {
    summary: 'IAKERB: the KDC did not answer the server relaying your request.',
    cause: 'The application server acting as a proxy got no reply from the KDC.',
    fix: 'Check that the server can reach the KDC on port 88.',
    source: IAKERB,
  }),
  code(90, 'KDC_ERR_PREAUTH_EXPIRED', {
    summary: 'The pre-authentication took too long and its saved state expired.',
    cause:
      'Too much time passed between rounds of a multi-step pre-authentication (the FAST cookie aged out), or a PKINIT freshness token was too old.',
    fix: 'Start the logon again.',
    source: 'RFC 6113 §5.2, §6.1',
  }),
  code(91, 'KDC_ERR_MORE_PREAUTH_DATA_REQUIRED', {
    summary: 'Not a failure: another round of pre-authentication is needed.',
    cause:
      'A multi-step method (SPAKE, OTP, an authentication set) continues; the next challenge is in e-data.',
    fix: 'Nothing: the client answers the challenge in e-data.',
    source: 'RFC 6113 §5.2, §6.1',
  }),
  code(92, 'KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET', {
    summary: 'The authentication set the client chose cannot be completed.',
    cause: 'A FAST authentication set failed part-way or is not acceptable.',
    fix: 'The client tries another of the sets the KDC offered.',
    source: 'RFC 6113 §5.3, §6.1',
  }),
  code(93, 'KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS', {
    summary: 'The KDC does not know a critical FAST option the client set.',
    cause:
      'A bit 0–15 of fast-options that this KDC does not implement, such as hide-client-names on an older KDC.',
    fix: 'Do not set that option, or upgrade the KDC.',
    source: 'RFC 6113 §5.4.2, §6.1',
    aliases: ['KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTION'],
  }),
] as const;

/** The error-code registry (RFC 4120 §7.5.9 and successors). */
export const errorCodes = defineRegistry<ErrorCodeEntry>('error code', errorCodeTable);

/** `ErrorCode.KDC_ERR_PREAUTH_REQUIRED === 25`, `ErrorCode.KRB_AP_ERR_SKEW === 37`, … */
export const ErrorCode = constantsOf(errorCodeTable);
/** A known error-code number. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The code as Windows event logs print it: 24 → "0x18". */
export function errorCodeHex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
