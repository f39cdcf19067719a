/**
 * Enctype policy at the KDC, as Active Directory keeps it: an account's msDS-SupportedEncryptionTypes and
 * the DCs' DefaultDomainSupportedEncTypes (MS-KILE 3.3.5.7). Set on every KDC of the realm, as AD replicates.
 */
import { parsePrincipal } from '../../asn1/principal';
import { GPO_ETYPE_NAMES, GPO_ETYPES, setAllowedEtypes } from '../../azure';
import { defineAction } from '../action-table';
import {
  andThen,
  clientHost,
  describeValue,
  enctypeList,
  knownRealm,
  list,
  opt,
  principalName,
  realmName,
  req,
  ScenarioError,
  shape,
} from '../shape';

/** A principal of a realm of kdc.realms. */
const realmPrincipal = andThen(principalName, 'principal "name@REALM" of kdc.realms', (p, path, known) => {
  knownRealm(p.slice(p.lastIndexOf('@') + 1), path, known);
  return p;
});

/** A box of the client GPO "Configure encryption types allowed for Kerberos" that the playground models. */
const gpoEtypes = list(
  shape('enctype number of the GPO (17, 18, 23)', (v, path) => {
    if (typeof v !== 'number' || !GPO_ETYPES.includes(v))
      throw new ScenarioError(
        path,
        `must be one of the GPO's enctypes the playground models: ${GPO_ETYPES.map((e) => `${e} (${GPO_ETYPE_NAMES[e]})`).join(', ')}, not ${describeValue(v)}`,
      );
    return v;
  }),
  { nonEmpty: true },
);

export const ENCTYPE_POLICY_ACTIONS = [
  defineAction({
    do: 'set-supported-enctypes',
    about:
      "An account's msDS-SupportedEncryptionTypes is set on every KDC of its realm (AD replicates it): the KDC picks its tickets' and session keys' enctypes only from that list.",
    fields: {
      principal: req(realmPrincipal, 'which account'),
      etypes: opt(enctypeList, 'the enctypes it supports (absent: cleared, the realm default applies)'),
    },
    title: (a) => `msDS-SupportedEncryptionTypes of ${a.principal} is set`,
    run: (world, a, cx) => {
      const p = parsePrincipal(a.principal);
      let changed = 0;
      for (const kdc of world.kdcsServing(p.realm)) {
        if (kdc.setSupportedEtypes(a.principal, a.etypes) === 0) continue;
        changed++;
        const list = a.etypes ? a.etypes.join(', ') : 'not set (the realm default applies)';
        world.action(
          kdc.host,
          'set-supported-enctypes',
          `${a.principal}: msDS-SupportedEncryptionTypes is ${list}`,
        );
      }
      if (changed === 0) throw new ScenarioError(cx.field('principal'), `no KDC holds ${a.principal}`);
      return { ok: true, output: 'msDS-SupportedEncryptionTypes set' };
    },
  }),
  defineAction({
    do: 'set-default-domain-enctypes',
    about:
      "The DCs' DefaultDomainSupportedEncTypes (registry, KDC parameters): the enctypes assumed for every account of the realm without msDS-SupportedEncryptionTypes.",
    fields: {
      realm: req(realmName, 'the realm'),
      etypes: opt(enctypeList, 'the default enctypes (absent: cleared, every enctype the realm permits)'),
    },
    title: (a) => `DefaultDomainSupportedEncTypes of ${a.realm} is set`,
    run: (world, a) => {
      const list = a.etypes ? a.etypes.join(', ') : 'not set (every enctype the realm permits)';
      for (const kdc of world.kdcsServing(a.realm)) {
        if (kdc.setDefaultSupportedEtypes(a.realm, a.etypes))
          world.action(
            kdc.host,
            'set-default-domain-enctypes',
            `${a.realm}: DefaultDomainSupportedEncTypes is ${list}`,
          );
      }
      return { ok: true, output: 'DefaultDomainSupportedEncTypes set' };
    },
  }),
  defineAction({
    do: 'set-allowed-enctypes',
    about:
      'The client GPO "Network security: Configure encryption types allowed for Kerberos", applied with gpupdate: Kerberos on the host offers only these enctypes in its AS-REQs and TGS-REQs.',
    fields: {
      host: req(clientHost(), 'the client host'),
      etypes: opt(gpoEtypes, 'the enctypes allowed (absent: Not Configured, the client’s own list)'),
    },
    title: (a) =>
      `${a.host}: the GPO “Configure encryption types allowed for Kerberos” is ${a.etypes ? a.etypes.map((e) => GPO_ETYPE_NAMES[e]).join(', ') : 'not configured'}`,
    run: (world, a) => setAllowedEtypes(world, a.host, a.etypes),
  }),
] as const;
