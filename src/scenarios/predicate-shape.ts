/**
 * A scenario's expected outcomes, described with the schema's shapes: each outcome holds predicates,
 * machine-checkable statements about the run that outcomes.ts evaluates. A predicate checks one thing:
 * how an action ended, a ticket in a client's klist, a message that crossed the network, or the exact
 * sequence of messages. One field is one line.
 */
import {
  actionRef,
  bool,
  checked,
  clientHost,
  describeValue,
  hostId,
  isObject,
  list,
  num,
  obj,
  oneOrList,
  opt,
  principalName,
  req,
  ScenarioError,
  shape,
  str,
  type Shape,
  type ShapeValue,
} from './shape';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const MESSAGE_TYPE = /^[A-Z0-9][A-Za-z0-9 _-]*$/;
const TRANSPORTS = ['udp', 'tcp', 'kkdcp', 'smb', 'https', 'local'];

const regex = checked(str({ type: 'regular expression' }), (text, path) => {
  try {
    new RegExp(text);
  } catch (e) {
    throw new ScenarioError(path, `is not a regular expression: ${(e as Error).message}`);
  }
});

const transport = checked(str({ type: `one of ${TRANSPORTS.join(', ')}` }), (t, path) => {
  if (!TRANSPORTS.includes(t))
    throw new ScenarioError(path, `"${t}" is not a transport (${TRANSPORTS.join(', ')})`);
});

const messageType = shape('message type ("AS-REQ", "KRB-ERROR 25")', (v, path) => {
  if (typeof v !== 'string' || !MESSAGE_TYPE.test(v))
    throw new ScenarioError(
      path,
      `must be a message type like "AS-REQ" or "KRB-ERROR 25", not ${describeValue(v)}`,
    );
  return v;
});

/** An action ended as stated (ok, Kerberos error code, Windows error). */
const actionPredicate = obj(
  {
    action: req(actionRef, 'the action, by its id'),
    ok: opt(bool(), 'it succeeded (or failed)'),
    errorCode: opt(num({ min: -2147483648, max: 2147483647 }), 'the Kerberos error code it ended with'),
    windowsError: opt(num({ min: 0 }), 'the Windows error it ended with'),
    fromCache: opt(bool(), 'the ticket came from the credential cache (nothing was sent)'),
    realm: opt(str(), "the ticket (or TGT) obtained belongs to this realm (the server's)"),
    outputMatches: opt(regex, 'a regular expression the console output must match'),
  },
  { type: 'how an action ended' },
);

/** A ticket is (or is not) in a client's final klist. */
const klistPredicate = obj(
  {
    klist: req(
      obj({
        host: req(clientHost(''), 'the client host'),
        server: req(principalName, "the ticket's server"),
        present: opt(bool(), 'it is there (default true) or not'),
        etype: opt(num({ min: 0 }), "the ticket's enctype"),
      }),
      "a ticket in a client's final klist",
    ),
  },
  { type: "a ticket in a client's klist" },
);

/** A message crossed the network (optionally: during an action, with an error code, a number of times). */
const messagePredicate = obj(
  {
    message: req(
      obj({
        type: req(
          str({
            pattern: MESSAGE_TYPE,
            hint: 'must be a message type like "AS-REQ" or "KRB-ERROR"',
            type: 'message type',
          }),
          'the message type ("AS-REQ", "KRB-ERROR")',
        ),
        errorCode: opt(num({ min: 0 }), "a KRB-ERROR's code"),
        from: opt(hostId, 'the sending host'),
        to: opt(hostId, 'the receiving host'),
        transport: opt(transport, 'how it travelled'),
        during: opt(actionRef, 'sent during this action'),
        resultMatches: opt(regex, 'a regular expression its result must match'),
        narrationMatches: opt(
          regex,
          "a regular expression one of its narration lines must match (a KDC's stage, a DC's event)",
        ),
        count: opt(num({ min: 0 }), 'exactly this many such messages'),
        present: opt(bool(), 'there is one (default true) or none'),
      }),
      'a message that crossed the network',
    ),
  },
  { type: 'a message on the network' },
);

/** The exact sequence of message types ("KRB-ERROR 25") over the run or during the actions named. */
const messagesPredicate = obj(
  {
    messages: req(
      obj({
        types: req(list(messageType), 'the message types, in order'),
        during: opt(list(actionRef, { nonEmpty: true }), 'only during these actions'),
      }),
      'the exact sequence of messages',
    ),
  },
  { type: 'the sequence of messages' },
);

const PREDICATES = {
  action: actionPredicate,
  klist: klistPredicate,
  message: messagePredicate,
  messages: messagesPredicate,
} as const;

/** A machine-checkable statement about the run. */
export type Predicate = ShapeValue<(typeof PREDICATES)[keyof typeof PREDICATES]>;

/** A predicate: the one of "action", "klist", "message", "messages" it holds says which it is. */
const predicate: Shape<Predicate> = shape(
  'predicate',
  (v, path, known) => {
    if (!isObject(v)) throw new ScenarioError(path, `must be an object, not ${describeValue(v)}`);
    const kinds = (Object.keys(PREDICATES) as (keyof typeof PREDICATES)[]).filter((k) => v[k] !== undefined);
    if (kinds.length !== 1)
      throw new ScenarioError(
        path,
        kinds.length === 0
          ? 'must say what it checks: "action", "klist", "message" or "messages"'
          : `checks one thing, not ${kinds.join(' and ')}`,
      );
    return PREDICATES[kinds[0]!].read(v, path, known);
  },
  {
    inner: {
      kind: 'variants',
      variants: Object.entries(PREDICATES).map(([name, s]) => ({ name, shape: s })),
    },
  },
);

/** One predicate or a list of them: always a list once read. */
const expectShape: Shape<Predicate[]> = shape(
  'predicate, or a list of them (at least one)',
  (v, path, known) => {
    const read = oneOrList(predicate).read(v, path, known);
    if (!Array.isArray(read)) return [read];
    if (read.length === 0) throw new ScenarioError(path, 'must hold at least one predicate');
    return read;
  },
  { inner: { kind: 'list', item: predicate } },
);

const outcomeShape = obj(
  {
    id: req(
      str({ pattern: ID, hint: 'must be lowercase letters, digits and dashes', type: 'outcome id' }),
      'names the outcome',
    ),
    description: req(str(), 'what it shows, in a sentence'),
    expect: req(expectShape, 'every predicate must hold'),
  },
  { type: 'outcome' },
);

export type ScenarioOutcome = ShapeValue<typeof outcomeShape>;

/** The expected outcomes, each id once. */
export const outcomesShape = checked(list(outcomeShape, { nonEmpty: true }), (outcomes, path) => {
  const seen = new Set<string>();
  outcomes.forEach((o, i) => {
    if (seen.has(o.id)) throw new ScenarioError(`${path}[${i}].id`, `outcome id "${o.id}" is used twice`);
    seen.add(o.id);
  });
});
