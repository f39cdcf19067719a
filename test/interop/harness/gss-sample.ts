// MIT's GSS-API sample programs (Debian's krb5-gss-samples: gss-client, gss-server) and our side of their
// protocol: each token is one flags byte (TOKEN_* of gss-misc.h), a 4-byte big-endian length and the
// token. The client opens with an empty NOOP|CONTEXT_NEXT token, sends context tokens until the context
// is established, then one message token (here plain: -nw -nm, which the server answers with a NOOP),
// and a NOOP to close.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { decodeKeytab } from '../../../src/formats';
import { KdcTransport, cryptoRandom } from '../../../src/node';
import {
  KerberizedService,
  iakerbAnswerToken,
  newIakerbAcceptor,
  readIakerbRequest,
  type AcceptResult,
  type ServiceState,
} from '../../../src/services';
import { isIakerbProxyToken, type PrincipalName } from '../../../src/asn1';
import { readFileSync } from 'node:fs';

export const TOKEN = { NOOP: 1, CONTEXT: 2, DATA: 4, MIC: 8, CONTEXT_NEXT: 16 } as const;
/** No token of this exchange comes near it: a bound on what we read. */
const MAX_TOKEN = 1 << 20;

/** Reads framed tokens from a socket, one at a time. */
export class TokenStream {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    const end = () => {
      this.ended = true;
      this.waiting?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  send(flags: number, token: Uint8Array): void {
    const head = Buffer.alloc(5);
    head[0] = flags;
    head.writeUInt32BE(token.length, 1);
    this.socket.write(Buffer.concat([head, token]));
  }

  async recv(): Promise<{ flags: number; token: Uint8Array }> {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readUInt32BE(1);
        if (len > MAX_TOKEN) throw new Error(`a token of ${len} bytes is more than we read`);
        if (this.buf.length >= 5 + len) {
          const flags = this.buf[0]!;
          const token = new Uint8Array(this.buf.subarray(5, 5 + len));
          this.buf = this.buf.subarray(5 + len);
          return { flags, token };
        }
      }
      if (this.ended) throw new Error('the peer closed the connection before a whole token');
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
  }
}

export function connectTokens(port: number): Promise<TokenStream> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(new TokenStream(s)));
    s.once('error', reject);
  });
}

/** A service's state from a keytab MIT exported (its keys, as ktadd wrote them). */
export function serviceFromKeytab(path: string, realm: string, name: string[]): ServiceState {
  const kt = decodeKeytab(new Uint8Array(readFileSync(path)));
  const keys = kt.entries
    .filter((e) => e.principal.realm === realm && e.principal.name.nameString.join('/') === name.join('/'))
    .map((e) => ({ etype: e.key.etype, kvno: e.kvno, key: e.key.bytes }));
  const sname: PrincipalName = { nameType: 3, nameString: name };
  return { realm, name: sname, keys, maxSkew: 5 * 60_000, replayCache: [] };
}

/** What our acceptor saw on one connection. */
export interface AcceptorLog {
  relayed: { realm: string; request: Uint8Array; reply: Uint8Array }[];
  tokens: { dir: 'in' | 'out'; bytes: Uint8Array }[];
  result?: AcceptResult;
  message?: string;
  error?: string;
}

/**
 * Our IAKERB acceptor on a gss-sample socket: relays the client's KDC messages to the lab's KDC (our
 * src/node transport), checks the AP-REQ and its finish with src/services, answers the message with a
 * NOOP. One log per connection.
 */
export async function startOurAcceptor(
  state: ServiceState,
  kdcPort: number,
): Promise<{ server: Server; port: number; logs: AcceptorLog[] }> {
  const kdc = new KdcTransport({
    defaultKdc: { kind: 'udp', host: '127.0.0.1', port: kdcPort, text: `127.0.0.1:${kdcPort}` },
  });
  const logs: AcceptorLog[] = [];
  const server = createServer((socket) => {
    const log: AcceptorLog = { relayed: [], tokens: [] };
    logs.push(log);
    serve(new TokenStream(socket), state, kdc, log).catch((e: Error) => {
      log.error = e.message;
      socket.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : 0, logs };
}

async function serve(
  io: TokenStream,
  state: ServiceState,
  kdc: KdcTransport,
  log: AcceptorLog,
): Promise<void> {
  const first = await io.recv();
  if (!(first.flags & TOKEN.NOOP)) throw new Error(`expected the opening NOOP, got flags ${first.flags}`);
  const iakerb = newIakerbAcceptor();
  const service = new KerberizedService(state);
  for (;;) {
    const { token } = await io.recv();
    log.tokens.push({ dir: 'in', bytes: token });
    if (isIakerbProxyToken(token)) {
      const req = readIakerbRequest(iakerb, token);
      if (req.kind !== 'relay')
        throw new Error(`not relayed: ${req.kind === 'refused' ? req.reason : req.kind}`);
      const answer = await kdc.send({
        realm: req.realm,
        bytes: req.message,
        message: req.messageType as 'AS-REQ',
      });
      const out = iakerbAnswerToken(
        iakerb,
        req.realm,
        'reply' in answer
          ? { reply: answer.reply }
          : { noKdc: 'no-response', now: Date.now(), sname: state.name },
      );
      if ('reply' in answer)
        log.relayed.push({ realm: req.realm, request: req.message, reply: answer.reply });
      log.tokens.push({ dir: 'out', bytes: out });
      io.send(TOKEN.CONTEXT, out);
      continue;
    }
    const result = service.accept(token, { now: Date.now(), random: cryptoRandom, iakerb });
    log.result = result;
    const reply = result.ok ? result.apRep : result.error;
    if (reply) {
      log.tokens.push({ dir: 'out', bytes: reply });
      io.send(TOKEN.CONTEXT, reply);
    }
    if (!result.ok) return;
    break;
  }
  const msg = await io.recv();
  log.message = new TextDecoder().decode(msg.token);
  io.send(TOKEN.NOOP, new Uint8Array(0));
  await io.recv(); // the client's closing NOOP
  io.socket.end();
}
