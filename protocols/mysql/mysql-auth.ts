import { randomBytes } from 'node:crypto';
import type { Credentials } from '../../src/server/session-api.js';
import { CACHING_SHA2_PASSWORD, CLEAR_PASSWORD, NATIVE_PASSWORD } from './mysql-constants.js';
import { checkCachingSha2, checkNativePassword, sha256 } from './handshake.js';

/**
 * Which authentication plugin to finish with and how to check its response, from what the config holds
 * for the user: the plaintext password (any plugin), only its SHA-256 (caching_sha2_password: its fast
 * path needs exactly SHA256(pw)), or no password (an empty response).
 */

export interface UserSecret {
  readonly password?: string;
  readonly passwordSha256?: Buffer;
}

/** The plugin to switch to, or undefined when the client's plugin can be checked as it is. */
export function pluginFor(secret: UserSecret | undefined, clientPlugin: string, response: Buffer): string | undefined {
  if (!secret) return undefined;
  if (secret.password === undefined && secret.passwordSha256 === undefined) return undefined;
  if (clientPlugin === CLEAR_PASSWORD) return undefined;
  let usable: string;
  if (secret.password !== undefined) usable = clientPlugin === NATIVE_PASSWORD || clientPlugin === CACHING_SHA2_PASSWORD ? clientPlugin : NATIVE_PASSWORD;
  else usable = CACHING_SHA2_PASSWORD;
  // A client whose plugin differs from the greeting's may send nothing and wait for a switch with a fresh
  // challenge for its plugin (the MariaDB client does): ask again with the same plugin.
  if (usable !== clientPlugin || (response.length === 0 && secret.password !== '')) return usable;
  return undefined;
}

/** Credentials for Engine.openSession when `response` proves the password; undefined when it does not. */
export function verify(user: string, secret: UserSecret | undefined, plugin: string, scramble: Buffer, response: Buffer): Credentials | undefined {
  if (!secret) return undefined;
  if (plugin === CLEAR_PASSWORD) {
    const end = response.indexOf(0);
    const password = response.subarray(0, end < 0 ? response.length : end).toString('utf8');
    return { user, password };
  }
  if (secret.password === undefined && secret.passwordSha256 === undefined) return response.length === 0 ? { user, password: '' } : undefined;
  if (secret.password !== undefined) {
    if (plugin === NATIVE_PASSWORD) return checkNativePassword(scramble, response, secret.password) ? { user, password: secret.password } : undefined;
    if (plugin === CACHING_SHA2_PASSWORD) {
      if (secret.password === '') return response.length === 0 ? { user, password: '' } : undefined;
      return checkCachingSha2(scramble, response, sha256(Buffer.from(secret.password, 'utf8'))) ? { user, password: secret.password } : undefined;
    }
    return undefined;
  }
  if (plugin === CACHING_SHA2_PASSWORD && checkCachingSha2(scramble, response, secret.passwordSha256!)) {
    return { user, password: '', passwordSha256: secret.passwordSha256 };
  }
  return undefined;
}

/** Credentials that always fail: used to get the engine's own error text for a rejected login. */
export function failingCredentials(user: string): Credentials {
  return { user, password: randomBytes(24).toString('hex') };
}

