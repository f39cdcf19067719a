// Tab completion at the console: commands first, then SPNs, hosts and shares where the command takes
// them; one match fills the word in, several fill in what they share and are listed.
import { describe, expect, test, vi } from 'vitest';
import { completeLine, type Vocabulary } from '../../../src/ui/lib/complete';

const v: Vocabulary = {
  commands: [
    'klist',
    'klist get',
    'klist purge',
    'klist tgt',
    'net use',
    'nltest',
    'whoami',
    'whoami /groups',
  ],
  hosts: ['ws1.corp.contoso.com', 'dc1.corp.contoso.com', 'contosofiles.file.core.windows.net'],
  spns: [
    'cifs/contosofiles.file.core.windows.net',
    'krbtgt/CORP.CONTOSO.COM',
    'krbtgt/KERBEROS.MICROSOFTONLINE.COM',
  ],
  shares: ['\\\\contosofiles.file.core.windows.net\\profiles'],
};

describe('completeLine', () => {
  test('a command name: one match is filled in with a space after it', () => {
    expect(completeLine('nl', v)).toEqual({ line: 'nltest ', options: [] });
    expect(completeLine('klist g', v)).toEqual({ line: 'klist get ', options: [] });
    expect(completeLine('WHOAMI /g', v)).toEqual({ line: 'whoami /groups ', options: [] });
  });

  test('several: what they share is filled in and each is listed', () => {
    expect(completeLine('kl', v)).toEqual({
      line: 'klist',
      options: ['klist', 'klist get', 'klist purge', 'klist tgt'],
    });
    expect(completeLine('n', v)).toEqual({ line: 'n', options: ['net use', 'nltest'] });
  });

  test('klist get completes an SPN, a TGS among them, in any case', () => {
    expect(completeLine('klist get c', v).line).toBe('klist get cifs/contosofiles.file.core.windows.net ');
    expect(completeLine('klist get krbtgt/k', v).line).toBe('klist get krbtgt/KERBEROS.MICROSOFTONLINE.COM ');
    expect(completeLine('klist get krbtgt/', v)).toEqual({
      line: 'klist get krbtgt/',
      options: ['krbtgt/CORP.CONTOSO.COM', 'krbtgt/KERBEROS.MICROSOFTONLINE.COM'],
    });
  });

  test('net use completes a share after the drive letter', () => {
    expect(completeLine('net use Z: \\\\con', v).line).toBe(
      'net use Z: \\\\contosofiles.file.core.windows.net\\profiles ',
    );
  });

  test('any other command completes host names; nothing to complete leaves the line as it is', () => {
    expect(completeLine('nltest dc', v).line).toBe('nltest dc1.corp.contoso.com ');
    expect(completeLine('klist get zzz', v)).toEqual({ line: 'klist get zzz', options: [] });
    expect(completeLine('frobnicate x', v)).toEqual({ line: 'frobnicate x', options: [] });
    expect(completeLine('', v).options).toEqual([...v.commands].sort((a, b) => a.localeCompare(b)));
  });

  test('the options are listed without localeCompare (its first call builds an ICU collator, a long task on the page), in the order it gives', () => {
    const spy = vi.spyOn(String.prototype, 'localeCompare');
    try {
      const all = completeLine('', v).options;
      const spn = completeLine('klist get ', v).options;
      const host = completeLine('nltest ', v).options;
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      for (const list of [all, spn, host]) {
        expect(list.length).toBeGreaterThan(1);
        expect(list).toEqual([...list].sort((a, b) => a.localeCompare(b)));
      }
    } finally {
      spy.mockRestore();
    }
  });
});
