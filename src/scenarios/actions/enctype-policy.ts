/**
 * Enctype policy at the KDC, as Active Directory keeps it: an account's msDS-SupportedEncryptionTypes and
 * the DCs' DefaultDomainSupportedEncTypes (MS-KILE 3.3.5.7). Set on every KDC of the realm, as AD replicates.
 */
import { parsePrincipal } from '../../asn1/principal';
import { defineAction } from '../action-table';
import {
  andThen,
  enctypeList,
  knownRealm,
  opt,
  principalName,
  realmName,
  req,
  ScenarioError,
} from '../shape';

/** A principal of a realm of kdc.realms. */
const realmPrincipal = andThen(principalName, 'principal "name@REALM" of kdc.realms', (p, path, known) => {
  knownRealm(p.slice(p.lastIndexOf('@') + 1), path, known);
  return p;
});

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
] as const;
