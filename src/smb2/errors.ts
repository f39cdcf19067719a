import { KrbPlayError } from '../util';

/** An SMB2 message that cannot be built or read: a field out of range, a message cut short, a bad tag. */
export class Smb2Error extends KrbPlayError {
  constructor(message: string) {
    super('smb2', message);
  }
}
