/**
 * The reference of the scenario file, printed from the schema's description (schema.ts and the shapes it
 * is written in): one table per object of the file, each field with its value, whether it may be absent
 * (and what it then is) and what it means; one section per kind of timeline action and per predicate.
 * docs/scenarios.md holds it between two markers, and a test fails when the committed text is stale
 * (`npm run docs:scenarios` writes it again).
 */
import type { Field, Fields, Shape } from './shape';
import { scenarioShape } from './schema';

export const REFERENCE_BEGIN =
  '<!-- BEGIN scenario reference: generated from src/scenarios/schema.ts by `npm run docs:scenarios` -->';
export const REFERENCE_END = '<!-- END scenario reference -->';

/** One object of the file: where it sits ("kdc.realms[]"), which variant it is, its fields. */
interface Section {
  path: string;
  variant?: string | undefined;
  about: string;
  fields: Fields;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function absentText(f: Field<unknown, boolean>): string {
  if (f.fallback) return `no; default \`${f.fallback.text}\``;
  if (f.absent) return `no; ${f.absent.text}`;
  return f.optional ? 'no' : 'yes';
}

function table(fields: Fields): string[] {
  const names = Object.keys(fields);
  if (names.length === 0) return ['No fields of its own.'];
  return [
    '| field | value | required | what it is |',
    '|---|---|---|---|',
    ...names.map((name) => {
      const f = fields[name]!;
      return `| \`${name}\` | ${cell(f.shape.type)} | ${cell(absentText(f))} | ${cell(f.about)} |`;
    }),
  ];
}

/**
 * The objects inside `shape`, found at `path`, in the order the file is read; `about` is what the field
 * holding it says of it, `variant` which variant it is.
 */
function collect(
  shape: Shape<unknown>,
  path: string,
  out: Section[],
  at: { about?: string; variant?: string } = {},
): Section[] {
  const inner = shape.inner;
  if (!inner) return out;
  switch (inner.kind) {
    case 'object':
      out.push({ path, about: at.about ?? shape.type, fields: inner.fields, variant: at.variant });
      for (const [name, f] of Object.entries(inner.fields))
        collect(f.shape, path ? `${path}.${name}` : name, out, { about: f.about });
      return out;
    case 'list':
      return collect(inner.item, `${path}[]`, out, at);
    case 'map':
      return collect(inner.value, `${path}.<${inner.key}>`, out, at);
    case 'variants':
      if (inner.common)
        out.push({ path, about: at.about ?? shape.type, fields: inner.common, variant: 'every kind' });
      for (const v of inner.variants) {
        const value = inner.tag && /^(true|false)$/.test(v.name) ? v.name : `"${v.name}"`;
        collect(v.shape, path, out, { variant: inner.tag ? `"${inner.tag}": ${value}` : `holding ${value}` });
      }
      return out;
  }
}

function heading(s: Section): string {
  const where = s.path === '' ? 'the file' : `\`${s.path}\``;
  return `### ${where}${s.variant ? ` — ${s.variant}` : ''}`;
}

/** The reference, as markdown (without the markers). */
export function scenarioReference(): string {
  const lines: string[] = [];
  for (const s of collect(scenarioShape, '', []))
    lines.push(heading(s), '', s.about, '', ...table(s.fields), '');
  return lines.join('\n');
}
