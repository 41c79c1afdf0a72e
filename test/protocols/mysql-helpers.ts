import net from 'node:net';
import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A server with the MySQL listener and three kinds of users: no password, plaintext, SHA-256 only. */
export async function startMysqlServer(): Promise<TestServer & { mysqlPort: number }> {
  const server = await startTestServer(
    {
      users: [
        { name: 'default' },
        { name: 'alice', password: 'secret' },
        { name: 'bob', passwordSha256Hex: sha256Hex('hunter2') },
      ],
    },
    ['mysql'],
  );
  return Object.assign(server, { mysqlPort: server.server.ports.mysql! });
}

export function connect(port: number, options: Partial<mysql.ConnectionOptions> = {}): Promise<mysql.Connection> {
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'default', password: '', ...options });
}

/** What a rejected call carried: MySQL errno, SQLSTATE and message. */
export async function mysqlError(p: Promise<unknown>): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { errno?: number; sqlState?: string; message: string };
    return { errno: err.errno ?? -1, sqlState: err.sqlState ?? '', message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** Frames a payload as one MySQL packet. */
export function packet(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq;
  return Buffer.concat([head, payload]);
}

/** A raw socket that collects every byte the server sends and reports when it closes. */
export class RawClient {
  private data = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (d) => {
      this.data = Buffer.concat([this.data, d]);
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => undefined);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits for the next whole packet (or null once the server closed without sending one). */
  async readPacket(): Promise<{ seq: number; payload: Buffer } | null> {
    for (;;) {
      if (this.data.length >= 4) {
        const len = this.data.readUIntLE(0, 3);
        if (this.data.length >= 4 + len) {
          const p = { seq: this.data[3]!, payload: this.data.subarray(4, 4 + len) };
          this.data = this.data.subarray(4 + len);
          return p;
        }
      }
      if (this.closed) return null;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async waitClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** Reads the greeting and logs in as `default` (no password, mysql_native_password, protocol 4.1). */
  async login(): Promise<void> {
    const greeting = await this.readPacket();
    if (!greeting || greeting.payload[0] !== 10) throw new Error('no greeting');
    const caps = 0x200 | 0x8000 | 0x80000 | 0x200000 | 0x1000000; // PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, LENENC data, DEPRECATE_EOF
    const body = Buffer.concat([
      u32(caps),
      u32(1 << 24),
      Buffer.from([45]),
      Buffer.alloc(23),
      Buffer.from('default\0'),
      Buffer.from([0]),
      Buffer.from('mysql_native_password\0'),
    ]);
    this.write(packet(1, body));
    const ok = await this.readPacket();
    if (!ok || ok.payload[0] !== 0) throw new Error(`login failed: ${ok?.payload.toString()}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** ERR packet fields. */
export function parseErr(payload: Buffer): { errno: number; sqlState: string; message: string } | undefined {
  if (payload[0] !== 0xff) return undefined;
  return { errno: payload.readUInt16LE(1), sqlState: payload.toString('latin1', 4, 9), message: payload.toString('utf8', 9) };
}
