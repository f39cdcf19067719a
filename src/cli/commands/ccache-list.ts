/**
 * `krbplay ccache list`: the credentials of an MIT credential cache (MIT krb5
 * doc/formats/ccache_file_format.rst), like `klist -e -f`, with X-CACHECONF entries listed apart.
 * Contract: docs/cli.md.
 */
import { ccacheToListJson, decodeCcache } from '../../formats';
import { escapeControls as t } from '../../util';
import { defineCommand } from '../command';
import { FILE_LIMITS, readFileBytes } from './files';

export const ccacheList = defineCommand({
  name: 'ccache list',
  summary: 'List the credentials of an MIT credential cache.',
  description: `
Text: the default principal, then each credential with its times, flags and session-key enctype,
then the cache's configuration entries (X-CACHECONF), as MIT's klist -e -f shows them.
JSON: {"defaultPrincipal":"…","credentials":[{"client":"…","server":"…","etype":18,"etypeName":"…",
"flags":["forwardable",…],"flagsHex":"40e10000","authtime":"…","starttime":"…","endtime":"…",
"renewTill":"…"|null}],"config":[{"key":"pa_type","principal":"…","value":"…"}]}`,
  positionals: [{ name: 'FILE', required: true, help: 'the credential cache' }],
  options: { json: { type: 'boolean', help: 'print one JSON document' } },
  examples: ['krbplay ccache list /tmp/krb5cc_1000', 'krbplay ccache list alice.ccache --json'],
  run({ options, positionals }, io) {
    const file = positionals[0]!;
    const doc = ccacheToListJson(decodeCcache(readFileBytes(file, 'credential cache', FILE_LIMITS.ccache)));
    if (options.json) {
      io.stdout(JSON.stringify(doc) + '\n');
      return 0;
    }
    // Names and configuration values come from the file: each is escaped (t), so that a newline or an
    // ESC sequence in one shows as \n or \u001b instead of acting.
    const lines = [`Ticket cache: FILE:${t(file)}`, `Default principal: ${t(doc.defaultPrincipal)}`, ''];
    if (doc.credentials.length === 0) lines.push('No credentials.');
    for (const c of doc.credentials) {
      lines.push(`${c.starttime}  ${c.endtime}  ${t(c.server)}`);
      if (c.client !== doc.defaultPrincipal) lines.push(`\tfor client ${t(c.client)}`);
      if (c.renewTill) lines.push(`\trenew until ${c.renewTill}`);
      lines.push(
        `\tFlags: ${c.flags.join(', ') || 'none'} (0x${c.flagsHex}), Etype (skey): ${c.etypeName} (${c.etype})`,
      );
    }
    if (doc.config.length > 0) {
      lines.push('', 'Configuration (X-CACHECONF):');
      for (const e of doc.config)
        lines.push(`\t${t(e.key)}${e.principal ? ` for ${t(e.principal)}` : ''} = ${t(e.value)}`);
    }
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
});
