import { KrbPlayError } from '../util';

/** An SMB2 message that cannot be built or read: a field out of range, a message cut short, a bad tag. */
export class Smb2Error extends KrbPlayError {
  constructor(message: string) {
    super('smb2', message);
  }
}

/** MS-ERREF's NTSTATUS for a request that carries a malformed parameter. */
export const STATUS_INVALID_PARAMETER = 0xc000000d;

/**
 * An NTLMSSP message whose fields are malformed (not a wrong credential, which is STATUS_LOGON_FAILURE):
 * a server answers it with STATUS_INVALID_PARAMETER.
 */
export class NtlmFormatError extends Smb2Error {
  readonly status = STATUS_INVALID_PARAMETER;
}
