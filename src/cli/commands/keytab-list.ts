/**
 * `krbplay keytab list`: the entries of an MIT keytab (MIT krb5 doc/formats/keytab_file_format.rst),
 * like `klist -k -t -e -K`. Contract: docs/cli.md.
 */
import { decodeKeytab, describeKeytabEntry, keytabToListJson } from '../../formats';
import { escapeControls, toHex } from '../../util';
import { defineCommand } from '../command';
import { FILE_LIMITS, readFileBytes } from './files';

export const keytabList = defineCommand({
  name: 'keytab list',
  summary: 'List the entries of an MIT keytab.',
  description: `
Text: one line per entry, kvno, timestamp, principal, enctype and key (as MIT's klist -k -t -e -K).
JSON: {"entries":[{"principal":"alice@EXAMPLE.TEST","kvno":1,"etype":18,"etypeName":"…","key":"…","timestamp":"…"}]}`,
  positionals: [{ name: 'FILE', required: true, help: 'the keytab' }],
  options: { json: { type: 'boolean', help: 'print one JSON document' } },
  examples: ['krbplay keytab list /etc/krb5.keytab', 'krbplay keytab list service.keytab --json'],
  run({ options, positionals }, io) {
    const file = positionals[0]!;
    const kt = decodeKeytab(readFileBytes(file, 'keytab', FILE_LIMITS.keytab));
    if (options.json) {
      io.stdout(JSON.stringify(keytabToListJson(kt)) + '\n');
      return 0;
    }
    const lines = [`Keytab: ${file} (version 0x050${kt.version}, ${kt.entries.length} entries)`];
    for (const e of kt.entries) lines.push(`${describeKeytabEntry(e)} key ${toHex(e.key.bytes)}`);
    // A principal in the file may hold any character: escaped, it cannot start a line or reach the terminal.
    io.stdout(lines.map(escapeControls).join('\n') + '\n');
    return 0;
  },
});
