/**
 * `krbplay decode`: any Kerberos message, token, ticket, encrypted-part plaintext or PAC — pasted as hex
 * or base64, read from a file, or found in a pcap/pcapng capture — as a tree with every field's offset,
 * its encrypted parts opened with the keys given and the keys the capture itself reveals.
 * Contract: docs/cli.md.
 */
import { NT, parsePrincipal, type Principal } from '../../asn1/principal';
import { decodeKeytab } from '../../formats';
import {
  decodeCapture,
  decodeMessage,
  explainMessages,
  KeyRing,
  renderMessages,
  type DecodedMessage,
} from '../../formats/decoder';
import { readCapture } from '../../formats/pcap';
import { fromHex, KrbPlayInputError } from '../../util';
import { UsageError } from '../args';
import { defineCommand } from '../command';
import { resolveEnctype } from '../enctype';
import { FILE_LIMITS, readFileBytes } from './files';

/** `Negotiate <token>` as an HTTP header value, with or without the header's name (RFC 4559 §4). */
const NEGOTIATE = /^\s*(?:(?:proxy-)?authorization\s*:|www-authenticate\s*:)?\s*negotiate\s+/i;

function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new KrbPlayInputError(
      `INPUT is neither hex (an even number of hex digits) nor base64 (${text.length > 24 ? `${text.slice(0, 24)}…` : text})`,
    );
  }
  const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** INPUT as bytes: @FILE raw (or as text with --hex/--base64), else hex when it can be, else base64. */
export function inputBytes(input: string, mode: 'hex' | 'base64' | undefined): Uint8Array {
  let text: string;
  if (input.startsWith('@')) {
    const raw = readFileBytes(input.slice(1), 'INPUT file', FILE_LIMITS.input);
    if (mode === undefined) return raw;
    text = new TextDecoder().decode(raw);
  } else {
    text = input;
  }
  text = text.replace(NEGOTIATE, '').replace(/\s+/g, '');
  if (text === '') throw new KrbPlayInputError('INPUT is empty');
  const isHex = /^[0-9a-fA-F]*$/.test(text) && text.length % 2 === 0;
  if (mode === 'hex' || (mode === undefined && isHex)) {
    if (!isHex) {
      const bad = text.search(/[^0-9a-fA-F]/);
      throw new KrbPlayInputError(
        bad >= 0
          ? `INPUT is not hex: character ${bad + 1} is '${text[bad]}'`
          : `INPUT is not hex: ${text.length} hex digits, an odd number`,
      );
    }
    return fromHex(text);
  }
  return fromBase64(text);
}

/** `--key E:HEX`: a raw key to try on every part of its enctype. */
function parseKey(text: string) {
  const m = /^([^:]+):([0-9a-fA-F]+)$/.exec(text);
  if (!m) throw new KrbPlayInputError(`--key must be ETYPE:HEX (18:9d35…), not '${text}'`);
  const info = resolveEnctype(m[1]!);
  const bytes = fromHex(m[2]!);
  if (info.keyLength > 0 && bytes.length !== info.keyLength) {
    throw new KrbPlayInputError(
      `--key ${m[1]}: ${info.name} keys are ${info.keyLength} bytes, this one is ${bytes.length}`,
    );
  }
  return { etype: info.etype, bytes };
}

export const decode = defineCommand({
  name: 'decode',
  summary: 'Decode Kerberos messages, tokens and captures, decrypting what keys allow.',
  description: `
INPUT is hex, base64, or @FILE (raw bytes). Without --hex/--base64, an input made only of hex digits
with even length is hex, anything else base64. Accepted: any Kerberos message with or without the
4-byte TCP length, a KDC-PROXY-MESSAGE, a GSS-API token, a SPNEGO token (an HTTP
'Negotiate …' header value too), a Ticket, an EncTicketPart, a PAC. --pcap reads a pcap or pcapng
capture instead, any port; keys learnt in one message (session keys, subkeys, FAST armor keys) open
the parts of later ones.

Encrypted parts are opened with the keys of --keytab files, with keys derived from --password for
the --principal given beside it (salt from ETYPE-INFO2 seen in the capture, else the default salt),
and with --key ETYPE:HEX (a session key you know). Each part says which key opened it, or why not.
--json prints {"messages":[MESSAGE…]} as docs/cli.md describes. --explain adds, under each field,
what it is in plain words and the clause of the specification it comes from, with its link (and what
a number or each set flag bit means); with --json, as an "explain" member of each NODE.`,
  positionals: [{ name: 'INPUT', help: 'hex, base64, or @FILE' }],
  options: {
    hex: { type: 'boolean', help: 'INPUT is hex' },
    base64: { type: 'boolean', help: 'INPUT is base64' },
    pcap: { type: 'string', valueName: 'FILE', help: 'read the messages of a pcap/pcapng capture' },
    keytab: { type: 'string', valueName: 'FILE', multiple: true, help: 'keys to decrypt with' },
    password: {
      type: 'string',
      valueName: 'P',
      multiple: true,
      help: "a password, paired in order with --principal; one starting with '-' is --password=-P",
    },
    principal: { type: 'string', valueName: 'NAME@REALM', multiple: true, help: 'whose password it is' },
    key: { type: 'string', valueName: 'ETYPE:HEX', multiple: true, help: 'a raw key (session key, subkey)' },
    json: { type: 'boolean', help: 'print one JSON document' },
    explain: { type: 'boolean', help: 'explain each field in plain words, with its spec clause and link' },
  },
  examples: [
    'krbplay decode 6d82064d30820649a003020105… --keytab service.keytab',
    'krbplay decode --pcap kinit.pcapng --keytab all.keytab --json',
    "krbplay decode 'Negotiate YIIGhgYGKwYBBQUCoIIGejCC…' --keytab http.keytab",
    'krbplay decode @as-rep.der --password pw --principal alice@EXAMPLE.TEST',
    'krbplay decode 6a81c93081c6a103020105… --explain',
  ],
  run({ options, positionals }, io) {
    if (options.hex && options.base64) throw new UsageError('give --hex or --base64, not both');
    const input = positionals[0];
    if (input === undefined && options.pcap === undefined)
      throw new UsageError('missing INPUT (or --pcap FILE)');
    if (input !== undefined && options.pcap !== undefined) {
      throw new UsageError('give INPUT or --pcap FILE, not both');
    }
    if (options.pcap !== undefined && (options.hex || options.base64)) {
      throw new UsageError('--hex and --base64 describe INPUT; a --pcap file is read as it is');
    }
    if (options.password.length !== options.principal.length) {
      throw new UsageError(
        `each --password needs its --principal (${options.password.length} password(s), ${options.principal.length} principal(s))`,
      );
    }
    const ring = new KeyRing();
    for (const file of options.keytab)
      ring.addKeytab(decodeKeytab(readFileBytes(file, 'keytab', FILE_LIMITS.keytab)));
    options.password.forEach((pw, i) => {
      const name = options.principal[i]!;
      let p: Principal;
      try {
        p = parsePrincipal(name, undefined, NT.PRINCIPAL);
      } catch {
        throw new KrbPlayInputError(`--principal must be NAME@REALM, not '${name}'`);
      }
      ring.addPassword(p, pw);
    });
    for (const k of options.key) ring.addKey(parseKey(k), `key given (--key ${k.split(':')[0]})`);

    let messages: DecodedMessage[];
    if (options.pcap !== undefined) {
      messages = decodeCapture(
        readCapture(readFileBytes(options.pcap, 'capture', FILE_LIMITS.capture)),
        ring,
      );
    } else {
      const mode = options.hex ? 'hex' : options.base64 ? 'base64' : undefined;
      messages = [decodeMessage(inputBytes(input!, mode), ring, { frame: 1 })];
    }

    if (options.json) {
      io.stdout(JSON.stringify({ messages: options.explain ? explainMessages(messages) : messages }) + '\n');
      return 0;
    }
    let text = renderMessages(messages, { explain: options.explain });
    if (options.pcap !== undefined) {
      const parts = messages.flatMap((m) => m.encParts);
      const opened = parts.filter((p) => p.decrypted).length;
      text += `\n${messages.length} Kerberos message(s); ${opened} of ${parts.length} encrypted part(s) opened\n`;
    }
    io.stdout(text);
    return 0;
  },
});
