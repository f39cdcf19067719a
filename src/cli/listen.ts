/** Small parsers the network subcommands share: HOST:PORT addresses and JSON with // comments. */
import { UsageError } from './args';

/** "127.0.0.1:88", "[::1]:88", "localhost:8888"; port 0 lets the system choose. */
export function parseHostPort(flag: string, text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new UsageError(`${flag} must be HOST:PORT (like 127.0.0.1:8888 or [::1]:88), not '${text}'`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Removes // comments that stand outside strings, so the examples of docs/cli.md can be pasted. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}
