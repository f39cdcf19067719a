import { describe, expect, test } from 'vitest';
import { parseSetspn } from '../../../src/support';

describe('setspn -L pasted back', () => {
  test('each account with its SPNs; a lookup that failed and stray lines are kept', () => {
    const text = [
      'Registered ServicePrincipalNames for CN=FS1,OU=Servers,DC=contoso,DC=com:',
      '        cifs/fs1.contoso.com',
      '        cifs/FS1',
      '        HOST/fs1.contoso.com',
      '        MSSQLSvc/fs1.contoso.com:1433',
      '        ldap/dc1.contoso.com/contoso.com',
      'Registered ServicePrincipalNames for CN=contosofiles,OU=Storage,DC=contoso,DC=com:',
      '        cifs/contosofiles.file.core.windows.net',
      '',
      'FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value 0x00000525',
      'Could not find account fs2',
      '        not an spn',
    ].join('\r\n');
    const s = parseSetspn(text);
    expect(s.accounts).toEqual([
      {
        dn: 'CN=FS1,OU=Servers,DC=contoso,DC=com',
        spns: [
          'cifs/fs1.contoso.com',
          'cifs/FS1',
          'HOST/fs1.contoso.com',
          'MSSQLSvc/fs1.contoso.com:1433',
          'ldap/dc1.contoso.com/contoso.com',
        ],
      },
      {
        dn: 'CN=contosofiles,OU=Storage,DC=contoso,DC=com',
        spns: ['cifs/contosofiles.file.core.windows.net'],
      },
    ]);
    expect(s.unread.map((l) => l.line)).toEqual([10, 11, 12]);
  });

  test('an SPN line before any account is unread', () => {
    expect(parseSetspn('        cifs/fs1\n').unread).toEqual([{ line: 1, text: '        cifs/fs1' }]);
  });
});
