/**
 * The state behind the first page's crypto proof: the inputs a learner edits, and what the real
 * engine made of them — a string-to-key (RFC 3961 §3) and an encrypt → decrypt round trip (RFC 3961 §5.3).
 *
 * The derivation runs with stringToKeyAsync, so even the 32768 PBKDF2 iterations of enctypes 19/20 never
 * freeze the page; a newer edit makes an older, still-running computation's result be dropped.
 */
import {
  decrypt,
  encrypt,
  ENCTYPES,
  findEnctype,
  MAX_ITERATIONS,
  stringToKeyAsync,
  yieldToEventLoop,
  type EnctypeInfo,
  type Key,
} from '../crypto';
import { equalBytes, fromHex, KrbPlayError, toHex, utf8 } from '../util';

/** The page's randomness: the browser's CSPRNG, the only source the UI may use (ARCHITECTURE.md). */
const browserRandom = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** What the learner typed, exactly as typed. */
export interface ProofInputs {
  etype: string;
  password: string;
  salt: string;
  saltIsHex: boolean;
  iterations: string;
  usage: string;
  message: string;
}

/** The inputs once checked: what the engine is called with. */
export interface CheckedInputs {
  info: EnctypeInfo;
  password: string;
  salt: Uint8Array;
  /** null for rc4-hmac (RFC 4757: no salt, no iteration count). */
  iterations: number | null;
  usage: number;
  message: Uint8Array;
}

export type InputProblems = Partial<Record<keyof ProofInputs, string>>;

/** How the ciphertext is laid out, so the page can label its parts. */
export interface CiphertextLayout {
  /** Bytes of the integrity tag and where it sits. */
  macLength: number;
  macAt: 'start' | 'end';
  confounderLength: number;
}

/**
 * RFC 3962 §6 (17/18): AES-CTS(confounder|msg) then 12 bytes of HMAC-SHA1; RFC 8009 §5 (19/20): the
 * same with 16/24 bytes of HMAC-SHA256/384; RFC 4757 §3 (23/24): a 16-byte HMAC-MD5, then RC4(8-byte
 * confounder|msg).
 */
export function ciphertextLayout(etype: number): CiphertextLayout | undefined {
  switch (etype) {
    case 17:
    case 18:
      return { macLength: 12, macAt: 'end', confounderLength: 16 };
    case 19:
      return { macLength: 16, macAt: 'end', confounderLength: 16 };
    case 20:
      return { macLength: 24, macAt: 'end', confounderLength: 16 };
    case 23:
    case 24:
      return { macLength: 16, macAt: 'start', confounderLength: 8 };
    default:
      return undefined;
  }
}

export function usesSalt(etype: number): boolean {
  return etype !== 23 && etype !== 24;
}

/** The enctypes a learner may pick: every one the engine can encrypt with. */
export const PICKABLE_ENCTYPES: readonly EnctypeInfo[] = ENCTYPES.filter(
  (e) => e.implemented && !e.decryptOnly,
);

/** A number or an MIT name or alias, as typed (findEnctype trims and ignores case). */
export function lookUpEnctype(text: string): EnctypeInfo | undefined {
  return findEnctype(text);
}

/** Checks every input; returns either what to compute with, or one plain message per bad field. */
export function checkInputs(
  inputs: ProofInputs,
): { ok: true; value: CheckedInputs } | { ok: false; problems: InputProblems } {
  const problems: InputProblems = {};
  const info = lookUpEnctype(inputs.etype);
  if (!info) {
    problems.etype =
      inputs.etype.trim() === ''
        ? 'Pick an enctype.'
        : `"${inputs.etype.trim()}" is not an enctype the playground knows. Try ${PICKABLE_ENCTYPES.map((e) => e.name).join(', ')}, or their numbers.`;
  } else if (!info.implemented) {
    problems.etype = `${info.name} (${info.etype}) is not implemented by the playground: ${info.summary}.`;
  } else if (info.decryptOnly) {
    problems.etype = `${info.name} (${info.etype}) can only decrypt here: it is export-weakened and nothing should encrypt with it.`;
  }

  let salt: Uint8Array = new Uint8Array(0);
  if (!info || usesSalt(info.etype)) {
    if (inputs.saltIsHex) {
      try {
        salt = fromHex(inputs.salt);
      } catch (err) {
        problems.salt = `The salt is not valid hex: ${err instanceof Error ? err.message : String(err)}.`;
      }
    } else {
      salt = utf8(inputs.salt);
    }
  }

  let iterations: number | null = null;
  if (info && usesSalt(info.etype)) {
    const t = inputs.iterations.trim();
    if (t === '') iterations = info.defaultIterations;
    else if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > MAX_ITERATIONS) {
      problems.iterations = `The iteration count is a whole number from 1 to ${MAX_ITERATIONS} (or empty for the default).`;
    } else iterations = Number(t);
  }

  const u = inputs.usage.trim();
  let usage = 0;
  if (!/^\d+$/.test(u) || Number(u) > 0xffffffff) {
    problems.usage = 'The key usage is a whole number (RFC 4120 §7.5.1 lists them; 2 is a ticket).';
  } else usage = Number(u);

  if (Object.keys(problems).length > 0 || !info) return { ok: false, problems };
  return {
    ok: true,
    value: { info, password: inputs.password, salt, iterations, usage, message: utf8(inputs.message) },
  };
}

export interface ProofResult {
  etype: number;
  etypeName: string;
  keyHex: string;
  saltHex: string | null;
  iterations: number | null;
  usage: number;
  ciphertextHex: string;
  decrypted: string;
  roundTripOk: boolean;
  stringToKeyMs: number;
  roundTripMs: number;
  /** What happened when one bit of the ciphertext was flipped; set by tamper(). */
  tamper?: { bitFlipped: number; outcome: string; rejected: boolean };
}

export type ProofStatus = 'waiting' | 'working' | 'done' | 'invalid' | 'failed';

const RFC3962_EXAMPLE: ProofInputs = {
  // RFC 3962 Appendix B, the first vector, so the page opens on a key anyone can check.
  etype: 'aes256-cts-hmac-sha1-96',
  password: 'password',
  salt: 'ATHENA.MIT.EDUraeburn',
  saltIsHex: false,
  iterations: '1',
  usage: '2',
  message: 'Hello from a Kerberos key made in this tab',
};

/** Thrown from string-to-key's yielder to stop a derivation whose inputs have changed. */
class Superseded extends Error {}

/** How long typing must pause before the key is derived again. */
const SETTLE_MS = 200;

export class CryptoProof {
  inputs: ProofInputs = $state({ ...RFC3962_EXAMPLE });
  status: ProofStatus = $state('waiting');
  problems: InputProblems = $state({});
  /** A failure the engine reported for otherwise valid inputs. */
  failure: string | null = $state(null);
  result: ProofResult | null = $state(null);
  /** How far string-to-key has come (0 to 1) while it runs, for a long count. */
  progress: number | null = $state(null);

  /** The enctype as typed, when it is a known one (for the badges beside the field). */
  readonly enctype: EnctypeInfo | undefined = $derived(lookUpEnctype(this.inputs.etype));

  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #key: Key | null = null;
  #checked: CheckedInputs | null = null;

  /** Called by the component whenever an input changes; runs the computation once typing settles. */
  schedule(inputs: ProofInputs): void {
    clearTimeout(this.#timer);
    const generation = ++this.#generation;
    const checked = checkInputs(inputs);
    if (!checked.ok) {
      this.problems = checked.problems;
      this.status = 'invalid';
      return;
    }
    this.problems = {};
    this.status = 'working';
    this.#timer = setTimeout(() => void this.#compute(generation, checked.value), SETTLE_MS);
  }

  /** Encrypts again with the same key: a new random confounder, so new ciphertext, same plaintext. */
  reencrypt(): void {
    if (!this.#key || !this.#checked || !this.result) return;
    this.result = { ...this.result, ...this.#roundTrip(this.#key, this.#checked), tamper: undefined };
  }

  /** Flips one bit of the ciphertext and decrypts: the integrity check must refuse it. */
  tamper(): void {
    if (!this.#key || !this.#checked || !this.result) return;
    const ciphertext = fromHex(this.result.ciphertextHex);
    const bit = browserRandom(4).reduce((a, b) => a * 256 + b, 0) % (ciphertext.length * 8);
    ciphertext[bit >> 3]! ^= 0x80 >> (bit & 7);
    let outcome: string;
    let rejected: boolean;
    try {
      const plain = decrypt(this.#key, this.#checked.usage, ciphertext);
      outcome = `Decryption accepted it (${plain.length} bytes) — this should never happen.`;
      rejected = false;
    } catch (err) {
      outcome = err instanceof Error ? err.message : String(err);
      rejected = true;
    }
    this.result = { ...this.result, tamper: { bitFlipped: bit, outcome, rejected } };
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#generation++;
  }

  async #compute(generation: number, checked: CheckedInputs): Promise<void> {
    const { info } = checked;
    try {
      const started = performance.now();
      this.progress = null;
      const key = await stringToKeyAsync(
        info.etype,
        checked.password,
        checked.salt,
        checked.iterations !== null ? { iterations: checked.iterations } : undefined,
        async (done, total) => {
          // inputs changed: a count of up to 2^24 - 1 takes minutes, so the stale derivation stops here
          if (generation !== this.#generation) throw new Superseded();
          this.progress = done / total;
          await yieldToEventLoop(done, total);
        },
      );
      this.progress = null;
      if (generation !== this.#generation) return; // the inputs changed while PBKDF2 ran
      const stringToKeyMs = performance.now() - started;
      this.#key = key;
      this.#checked = checked;
      this.result = {
        etype: info.etype,
        etypeName: info.name,
        keyHex: toHex(key.bytes),
        saltHex: usesSalt(info.etype) ? toHex(checked.salt) : null,
        iterations: checked.iterations,
        usage: checked.usage,
        stringToKeyMs,
        ...this.#roundTrip(key, checked),
      };
      this.failure = null;
      this.status = 'done';
    } catch (err) {
      if (generation !== this.#generation || err instanceof Superseded) return;
      this.progress = null;
      this.result = null;
      this.failure =
        err instanceof KrbPlayError
          ? err.message
          : `Something went wrong inside the playground: ${err instanceof Error ? err.message : String(err)}`;
      this.status = 'failed';
    }
  }

  #roundTrip(key: Key, checked: CheckedInputs) {
    const started = performance.now();
    const ciphertext = encrypt(key, checked.usage, checked.message, browserRandom);
    const plain = decrypt(key, checked.usage, ciphertext);
    return {
      ciphertextHex: toHex(ciphertext),
      decrypted: new TextDecoder().decode(plain),
      roundTripOk: equalBytes(plain, checked.message),
      roundTripMs: performance.now() - started,
    };
  }
}
