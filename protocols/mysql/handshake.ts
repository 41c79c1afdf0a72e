import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Capability, Charset, NATIVE_PASSWORD, SERVER_CAPABILITIES, ServerStatus } from './mysql-constants.js';
import { PayloadReader, type PacketWriter } from './packet-codec.js';

/** Handshake v10 (the server's greeting) and HandshakeResponse41 (the client's answer). */

export interface Greeting {
  readonly serverVersion: string;
  readonly connectionId: number;
  /** 20 random bytes (no NUL): the challenge for mysql_native_password and caching_sha2_password. */
  readonly scramble: Buffer;
  readonly authPlugin: string;
}

/** 20 printable random bytes without NUL or '$' (as MySQL generates them). */
export function newScramble(): Buffer {
  const b = randomBytes(20);
  for (let i = 0; i < b.length; i++) b[i] = 0x21 + (b[i]! % 94);
  return b;
}

export function writeGreeting(w: PacketWriter, g: Greeting): void {
  w.begin()
    .u8(10)
    .nulString(g.serverVersion)
    .u32(g.connectionId)
    .bytes(g.scramble.subarray(0, 8))
    .u8(0)
    .u16(SERVER_CAPABILITIES & 0xffff)
    .u8(Charset.UTF8MB4_GENERAL_CI)
    .u16(ServerStatus.AUTOCOMMIT)
    .u16((SERVER_CAPABILITIES >>> 16) & 0xffff)
    .u8(g.scramble.length + 1)
    .zeros(10)
    .bytes(g.scramble.subarray(8))
    .u8(0)
    .nulString(g.authPlugin)
    .end();
}

export interface HandshakeResponse {
  readonly capabilities: number;
  readonly maxPacketSize: number;
  readonly charset: number;
  readonly user: string;
  readonly authResponse: Buffer;
  readonly database?: string;
  /** The plugin the client used for authResponse; mysql_native_password when the client did not say. */
  readonly authPlugin: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** True for the 32-byte SSLRequest a client sends instead of a full response when it wants TLS. */
export function isSslRequest(payload: Buffer): boolean {
  return payload.length === 32 && (payload.readUInt32LE(0) & Capability.SSL) !== 0;
}

export function parseHandshakeResponse(payload: Buffer): HandshakeResponse {
  const r = new PayloadReader(payload);
  const capabilities = r.u32('capability flags');
  if (!(capabilities & Capability.PROTOCOL_41)) throw new Error('Clients older than the 4.1 protocol are not supported');
  const maxPacketSize = r.u32('max packet size');
  const charset = r.u8('character set');
  r.bytes(23, 'filler');
  const user = r.nulString('user name');
  let authResponse: Buffer;
  if (capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = Buffer.from(r.lenencBytes('auth response'));
  else if (capabilities & Capability.SECURE_CONNECTION) authResponse = Buffer.from(r.bytes(r.u8('auth response length'), 'auth response'));
  else authResponse = Buffer.from(r.nulString('auth response'), 'utf8');
  let database: string | undefined;
  if (capabilities & Capability.CONNECT_WITH_DB && r.remaining > 0) database = r.nulString('database') || undefined;
  let authPlugin = NATIVE_PASSWORD;
  if (capabilities & Capability.PLUGIN_AUTH && r.remaining > 0) authPlugin = r.nulString('auth plugin name') || NATIVE_PASSWORD;
  const attributes = new Map<string, string>();
  if (capabilities & Capability.CONNECT_ATTRS && r.remaining > 0) {
    const total = r.lenencInt('connection attributes length') ?? 0;
    const attrs = new PayloadReader(r.bytes(total, 'connection attributes'));
    while (attrs.remaining > 0) attributes.set(attrs.lenencString('attribute name'), attrs.lenencString('attribute value'));
  }
  return { capabilities, maxPacketSize, charset, user, authResponse, database, authPlugin, attributes };
}

function sha1(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i % b.length]!;
  return out;
}

/**
 * mysql_native_password: the client sends SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). Needs the plaintext
 * password (the server stores SHA1(SHA1(pw)); Hadron's config has either the text or its SHA-256).
 */
export function checkNativePassword(scramble: Buffer, response: Buffer, password: string): boolean {
  if (password === '') return response.length === 0;
  if (response.length !== 20) return false;
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const expected = xor(stage1, sha1(scramble, sha1(stage1)));
  return timingSafeEqual(expected, response);
}

/**
 * caching_sha2_password fast path: the client sends SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble).
 * The server needs SHA256(pw), which is exactly ClickHouse's password_sha256_hex. Returns the recovered
 * SHA256(pw) when it matches `passwordSha256`.
 */
export function checkCachingSha2(scramble: Buffer, response: Buffer, passwordSha256: Buffer): boolean {
  if (response.length !== 32) return false;
  const stage2 = sha256(passwordSha256);
  const recovered = xor(response, sha256(stage2, scramble));
  return timingSafeEqual(recovered, passwordSha256);
}
