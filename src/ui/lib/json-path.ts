/**
 * Where a field the validator names ("timeline[1].do", "kdc.realms[0].principals[2].name") sits in the
 * user's JSON text, so the editor can select it. A small scanner over the text (JSON as RFC 8259 writes
 * it) that keeps each value's offsets; for text that does not parse, the position JSON.parse reports.
 */
export interface TextSpan {
  start: number;
  end: number;
}

/** "timeline[1].do" → ["timeline", 1, "do"]; undefined for "(file)", "(top)" and the like. */
export function pathSegments(field: string): (string | number)[] | undefined {
  if (!field || field.startsWith('(')) return undefined;
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field))) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
  string(): string {
    const start = this.i;
    this.i++; // the opening quote
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }
  /** Skips one value; calls `found` with the span of the value at `path`, when it is in there. */
  value(path: (string | number)[], depth: number, found: (span: TextSpan) => void): void {
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      this.ws();
      while (this.s[this.i] !== '}' && this.i < this.s.length) {
        this.ws();
        const key = this.string();
        this.ws();
        this.i++; // :
        const wanted = depth < path.length && path[depth] === key;
        if (wanted && depth === path.length - 1) {
          this.ws();
          const vStart = this.i;
          this.value(path, depth + 1, () => undefined);
          found({ start: vStart, end: this.i });
        } else {
          this.value(path, wanted ? depth + 1 : Number.MAX_SAFE_INTEGER, found);
        }
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        this.ws();
      }
      this.i++;
    } else if (c === '[') {
      this.i++;
      this.ws();
      let n = 0;
      while (this.s[this.i] !== ']' && this.i < this.s.length) {
        const wanted = depth < path.length && path[depth] === n;
        if (wanted && depth === path.length - 1) {
          this.ws();
          const vStart = this.i;
          this.value(path, depth + 1, () => undefined);
          found({ start: vStart, end: this.i });
        } else {
          this.value(path, wanted ? depth + 1 : Number.MAX_SAFE_INTEGER, found);
        }
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        this.ws();
        n++;
      }
      this.i++;
    } else if (c === '"') {
      this.string();
    } else {
      while (this.i < this.s.length && /[^,\]}\s]/.test(this.s[this.i]!)) this.i++;
    }
    if (this.i === start) this.i++; // never stall on a stray character
  }
}

/**
 * The span of the field in the text: the value at the path, else the deepest enclosing value found (a
 * missing field is reported on its parent); for "(file)", the position in the JSON error, when it says.
 */
export function locateField(text: string, field: string, reason = ''): TextSpan | undefined {
  if (field === '(file)') {
    const pos = /position (\d+)/.exec(reason);
    if (pos) {
      const at = Math.min(Number(pos[1]), text.length);
      return { start: at, end: Math.min(at + 1, text.length) };
    }
    const lc = /line (\d+) column (\d+)/.exec(reason);
    if (lc) {
      const lines = text.split('\n');
      let at = 0;
      for (let l = 0; l < Number(lc[1]) - 1 && l < lines.length; l++) at += lines[l]!.length + 1;
      at = Math.min(at + Number(lc[2]) - 1, text.length);
      return { start: at, end: Math.min(at + 1, text.length) };
    }
    return undefined;
  }
  const path = pathSegments(field);
  if (!path) return undefined;
  for (let n = path.length; n > 0; n--) {
    let hit: TextSpan | undefined;
    try {
      new Scanner(text).value(path.slice(0, n), 0, (span) => (hit ??= span));
    } catch {
      return undefined;
    }
    if (hit) return hit;
  }
  return undefined;
}
