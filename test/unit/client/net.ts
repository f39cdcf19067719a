// An in-memory network for the client tests: one real KDC (src/kdc) per realm, each with its own clock
// offset, reached by realm name. No mocks: the bytes the client sends are the bytes the KDC reads.
import { buildKdcState, Kdc, type KdcConfig, type NarratedEvent } from '../../../src/kdc';
import {
  KerberosClient,
  runClient,
  type ClientConfig,
  type ClientRequest,
  type Run,
  type Transport,
} from '../../../src/client';
import { seededRandom, T0 } from '../kdc/helper';

export { seededRandom, T0 };
export const MIN = 60_000;
export const HOUR = 3_600_000;

export class Net {
  readonly kdcs = new Map<string, Kdc>();
  /** The true time; each KDC reads it plus its own offset. */
  now = T0;
  readonly kdcOffset: Record<string, number> = {};
  readonly kdcEvents: NarratedEvent[] = [];
  /** Realms whose KDC does not answer. */
  readonly down = new Set<string>();
  private readonly random;

  constructor(config: KdcConfig, seed = 1) {
    this.random = seededRandom(seed + 1000);
    config.realms.forEach((r, i) => {
      const one: KdcConfig = { realms: [r], ...(config.trusts ? { trusts: config.trusts } : {}) };
      this.kdcs.set(r.name, new Kdc(buildKdcState(one, seededRandom(seed + i))));
    });
  }

  readonly transport: Transport = (send) => {
    const kdc = this.kdcs.get(send.realm);
    if (!kdc || this.down.has(send.realm)) return { failure: 'timeout', message: `no KDC for ${send.realm}` };
    const r = kdc.handle(send.bytes, {
      now: this.now + (this.kdcOffset[send.realm] ?? 0),
      random: this.random,
    });
    this.kdcEvents.push(...r.events);
    return { reply: r.reply, from: `dc1.${send.realm.toLowerCase()}` };
  };
}

/** A client whose host clock is the network's time plus `skew`. */
export class Host {
  readonly client: KerberosClient;
  skew = 0;
  readonly random;
  constructor(
    readonly net: Net,
    config: ClientConfig,
    seed = 7,
  ) {
    this.client = new KerberosClient(config);
    this.random = seededRandom(seed);
  }

  run(request: ClientRequest): Run {
    return runClient(this.client, request, this.net.transport, () => ({
      now: this.net.now + this.skew,
      random: this.random,
    }));
  }
}
