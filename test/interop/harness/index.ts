// The MIT krb5 + tshark harness for the 'interop' vitest project. One MitLab per test file:
//
//   const lab = await MitLab.start({ realms: [{ name: 'MIT.TEST', principals: [...] }], trusts: [...] });
//   const cap = await LoopbackCapture.start(join(lab.dir, 'x.pcapng'), lab.ports);
//   await lab.kinit('alice@MIT.TEST', 'pw', { ccache: lab.ccache('alice') });
//   await cap.stop();
//   const frames = await tsharkKerberos(cap.file, { keytab, kerberosPorts: lab.ports });
//   await lab.stop();
export { MitLab, MIT_ENCTYPE_NAMES } from './mit';
export type { MitLabOptions, RealmSpec, PrincipalSpec, TrustSpec, Realm, ClientResult } from './mit';
export {
  LoopbackCapture,
  tsharkKerberos,
  tsharkMalformedFrames,
  tsharkExpertWarnings,
  tsharkVersion,
} from './capture';
export type { TsharkKerberosFrame, TsharkOptions } from './capture';
export { run, runOk, waitFor, freePort, sendUdp, Daemon } from './process';
export type { RunResult, RunOptions } from './process';
