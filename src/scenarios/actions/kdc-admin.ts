/**
 * What an administrator does to a KDC's keys, through the world's KdcAdmin: a password changed (on every
 * KDC of the realm, as AD replicates it), a key rotated on one KDC only, a key copied from one KDC to
 * another (the Azure AD Kerberos server's key sync).
 */
import * as windows from '../../azure';
import { parsePrincipal, sameName } from '../../asn1/principal';
import { keysFromPassword, type KdcAdmin, type World } from '../../world';
import { defineAction } from '../action-table';
import {
  bool,
  enctypeList,
  kdcHost,
  knownRealm,
  num,
  opt,
  principalName,
  req,
  ScenarioError,
  str,
  andThen,
} from '../shape';

/** A principal of a realm of kdc.realms. */
const realmPrincipal = andThen(principalName, 'principal "name@REALM" of kdc.realms', (p, path, known) => {
  knownRealm(p.slice(p.lastIndexOf('@') + 1), path, known);
  return p;
});

/** The KDC on `host`, which must hold `principal` (the scenario names both). */
function kdcHolding(world: World, host: string, principal: string, field: string): KdcAdmin {
  const kdc = world.kdcOn(host);
  if (!kdc || kdc.entries(principal).length === 0)
    throw new ScenarioError(field, `the KDC on ${host} holds no ${principal}`);
  return kdc;
}

function changePassword(
  world: World,
  principal: string,
  password: string,
  etypes: number[] | undefined,
  field: string,
) {
  const p = parsePrincipal(principal);
  let kvno = 0;
  let changed = 0;
  for (const kdc of world.kdcsServing(p.realm)) {
    for (const entry of kdc.changePassword(principal, password, etypes)) {
      kvno = entry.kvno;
      changed++;
      world.action(
        kdc.host,
        'change-password',
        `the password of ${principal} is changed: new keys, kvno ${kvno} (enctypes ${entry.etypes.join(', ')})`,
      );
    }
  }
  if (changed === 0) throw new ScenarioError(field, `no KDC holds ${principal}`);
  // the user knows the new password; a server holding the principal gets a new keytab
  windows.passwordChanged(world, principal, password);
  for (const s of world.services) {
    if (s.state.realm === p.realm && sameName(s.state.name, p.name)) {
      world.setServiceKeys(s.id, keysFromPassword(principal, password, etypes ?? [18, 17], kvno));
    }
  }
  return { ok: true, output: `password changed (kvno ${kvno})` };
}

export const KDC_ACTIONS = [
  defineAction({
    do: 'change-password',
    about:
      "A principal's password is changed on every KDC of its realm: new keys, a new kvno; the user and a server holding it learn the new one.",
    fields: {
      principal: req(realmPrincipal, 'whose password'),
      password: req(str(), 'the new password'),
      etypes: opt(enctypeList, 'the enctypes of the new keys (default: as before)'),
    },
    title: (a) => `the password of ${a.principal} is changed`,
    run: (world, a, cx) => changePassword(world, a.principal, a.password, a.etypes, cx.field('principal')),
  }),
  defineAction({
    do: 'rotate-key',
    about: 'One KDC alone gets a new key for a principal (no other KDC is told).',
    fields: {
      kdc: req(kdcHost, 'the KDC'),
      principal: req(principalName, 'whose key'),
      password: req(str(), 'the password the new key is made from'),
      kvno: opt(num({ min: 1, max: 0xffffffff }), 'its version (default: the next)'),
      keepOld: opt(bool(), 'keep the old version beside it (default true)'),
    },
    title: (a) => `${a.kdc} rotates the key of ${a.principal}`,
    run: (world, a, cx) => {
      const kdc = kdcHolding(world, a.kdc, a.principal, cx.field('principal'));
      const kvno = kdc.rotateKey(a.principal, a.password, {
        ...(a.kvno !== undefined ? { kvno: a.kvno } : {}),
        ...(a.keepOld !== undefined ? { keepOld: a.keepOld } : {}),
      })!;
      world.action(
        a.kdc,
        'rotate-key',
        `${a.kdc}: the key of ${a.principal} is now version ${kvno}${a.keepOld === false ? '' : ' (the old version is kept beside it)'}; no other KDC was told`,
      );
      return { ok: true, output: `kvno ${kvno}` };
    },
  }),
  defineAction({
    do: 'sync-key',
    about: "A principal's keys are copied from one KDC to another.",
    fields: {
      principal: req(principalName, 'whose keys'),
      from: req(kdcHost, 'the KDC holding them'),
      to: req(kdcHost, 'the KDC that gets them'),
    },
    check: (a, path) => {
      if (a.from === a.to) throw new ScenarioError(`${path}.to`, 'the key is copied to another KDC');
    },
    title: (a) => `the key of ${a.principal} is copied from ${a.from} to ${a.to}`,
    run: (world, a, cx) => {
      const source = kdcHolding(world, a.from, a.principal, cx.field('principal')).entries(a.principal)[0]!;
      kdcHolding(world, a.to, a.principal, cx.field('principal')).setKeys(a.principal, source.keys);
      const versions = [...new Set(source.keys.map((k) => k.kvno))].join(', ');
      world.action(
        a.to,
        'sync-key',
        `${a.principal}: ${a.to} now holds the same keys as ${a.from} (kvno ${versions})`,
      );
      return { ok: true, output: `synchronised (kvno ${versions})` };
    },
  }),
] as const;
