import { KrbPlayError } from '../util/errors';

/** A world asked for something it does not have (a host, a client, a service). */
export class WorldError extends KrbPlayError {
  constructor(message: string) {
    super('world', message);
  }
}
