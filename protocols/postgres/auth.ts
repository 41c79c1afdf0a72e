import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { BodyReader, ProtocolViolation } from './codec.js';

/**
 * Password exchanges of the Postgres protocol. Each yields the plaintext password (cleartext) or proves the
 * client knows the configured one (md5, SCRAM-SHA-256); the engine's openSession then does the real check
 * (and raises AUTHENTICATION_FAILED, 516 → 28P01).
 */

export type PasswordMethod = 'scram' | 'md5' | 'cleartext';

const SCRAM_ITERATIONS = 4096;

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** `md5` + md5(md5(password + user) + salt), as the client computes it. */
export function md5Response(user: string, password: string, salt: Buffer): string {
  const inner = createHash('md5').update(password + user).digest('hex');
  return 'md5' + createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex');
}

export function checkMd5(user: string, password: string, salt: Buffer, response: string): boolean {
  const want = Buffer.from(md5Response(user, password, salt));
  const got = Buffer.from(response);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The body of a PasswordMessage carrying a cleartext or md5 password (a C string). */
export function passwordText(data: Buffer): string {
  return new BodyReader(data).cstring('password');
}

function parseAttributes(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) m.set(part[0]!, part.slice(2));
  }
  return m;
}

/** Server side of one SCRAM-SHA-256 exchange (RFC 5802 / 7677, no channel binding). */
export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private readonly salt = randomBytes(16);

  constructor(private readonly password: string) {}

  /** SASLInitialResponse → server-first-message. */
  start(data: Buffer): string {
    const r = new BodyReader(data);
    const mechanism = r.cstring('SASL mechanism');
    if (mechanism !== 'SCRAM-SHA-256') throw new ProtocolViolation(`client selected an invalid SASL authentication mechanism: ${mechanism}`);
    const len = r.int32('SASL data length');
    const first = r.bytes(len < 0 ? 0 : len, 'SASL data').toString('utf8');
    // gs2 header: "n,," or "y,,"; "p=" asks for channel binding, which is not offered.
    const m = /^([ny]),[^,]*,(.*)$/s.exec(first);
    if (!m) throw new ProtocolViolation('malformed SCRAM message (channel binding is not supported)');
    this.clientFirstBare = m[2]!;
    const clientNonce = parseAttributes(this.clientFirstBare).get('r');
    if (!clientNonce) throw new ProtocolViolation('malformed SCRAM message: missing nonce');
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
    return this.serverFirst;
  }

  /** SASLResponse (client-final-message) → server-final-message, or undefined when the proof is wrong. */
  finish(data: Buffer): string | undefined {
    const clientFinal = data.toString('utf8');
    const attrs = parseAttributes(clientFinal);
    const proofB64 = attrs.get('p');
    if (attrs.get('r') !== this.nonce || !proofB64) throw new ProtocolViolation('malformed SCRAM message: nonce or proof');
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const salted = pbkdf2Sync(this.password.normalize('NFKC'), this.salt, SCRAM_ITERATIONS, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = sha256(clientKey);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(storedKey, authMessage);
    const proof = Buffer.from(proofB64, 'base64');
    if (proof.length !== clientSignature.length) return undefined;
    const recovered = sha256(xor(proof, clientSignature));
    if (!timingSafeEqual(recovered, storedKey)) return undefined;
    const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `v=${serverSignature.toString('base64')}`;
  }
}
