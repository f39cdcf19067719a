/**
 * Following a deep link (lib/deep-link.ts) once its scenario plays: to the step, the message and the
 * field it names. What the scenario does not have — a step past its end, a message the trace does not
 * hold by then, a field the message lacks — is said in a sentence, and the page opens what it can: the
 * last step, the step without the message, the deepest field of the path that exists.
 */
import type { EventDetail, Summary } from '../engine/protocol';
import { fieldByPath, type DeepTarget } from '../lib/deep-link';

/** What following a link needs of the page's state (the Playground has it all). */
export interface LinkFollower {
  readonly summary: Summary | undefined;
  readonly detail: EventDetail | undefined;
  goto(step: number): Promise<void>;
  select(seq: number): Promise<void>;
  selectNode(id: string): void;
}

/** Moves `pg` to where `target` points; answers a sentence for each part it could not follow. */
export async function followDeepLink(pg: LinkFollower, target: DeepTarget): Promise<string[]> {
  if (target.step === undefined || !pg.summary) return [];
  const id = pg.summary.scenario.id;
  const count = pg.summary.steps.length;
  if (target.step > count) {
    await pg.goto(count);
    const rest = target.seq !== undefined ? ', so the message it names was not looked for' : '';
    return [
      `the link asks for step ${target.step}, but "${id}" has ${count} step${count === 1 ? '' : 's'}: it opened at its last step${rest}`,
    ];
  }
  await pg.goto(target.step);
  if (target.seq === undefined) return [];
  const trace = pg.summary.trace;
  const row = trace.find((r) => r.seq === target.seq);
  if (!row) {
    const held = trace.length === 0 ? 'no event yet' : `events #${trace[0]!.seq}–#${trace.at(-1)!.seq}`;
    return [`there is no message #${target.seq} at step ${target.step} of "${id}" (its trace holds ${held})`];
  }
  await pg.select(row.seq);
  if (!target.field) return [];
  const tree = pg.detail?.row.seq === row.seq ? pg.detail.tree : undefined;
  if (!tree)
    return [`#${row.seq} (${row.type}) has no decoded fields, so the field the link names is not there`];
  const found = fieldByPath(tree, target.field);
  if (found.node !== tree) pg.selectNode(found.node.id);
  if (found.missing === undefined) return [];
  const at = found.node === tree ? row.type : found.node.name;
  return [
    `#${row.seq} (${row.type}) has no field "${found.missing}" under ${at}: the link's field path is ${target.field.join('.')}`,
  ];
}
