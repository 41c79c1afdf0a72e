import net from 'node:net';

/** A raw Postgres wire client for tests that need exact bytes (bad input, COPY, CancelRequest). */
export class RawPgClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {
      this.closed = true;
      this.notify();
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static connect(port: number): Promise<RawPgClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawPgClient(s)));
      s.once('error', reject);
    });
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** Sends a startup packet and reads through ReadyForQuery. */
  async startup(user = 'default', database = 'default'): Promise<{ pid: number; secret: number }> {
    const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4);
    this.write(Buffer.concat([head, params]));
    let pid = 0;
    let secret = 0;
    for (;;) {
      const m = await this.message();
      if (!m) throw new Error('closed during startup');
      if (m.type === 'K') {
        pid = m.body.readInt32BE(0);
        secret = m.body.readInt32BE(4);
      }
      if (m.type === 'E') throw new Error('startup error: ' + m.body.toString());
      if (m.type === 'Z') return { pid, secret };
    }
  }

  /** The next backend message, or undefined when the server closed the connection. */
  async message(): Promise<{ type: string; body: Buffer } | undefined> {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const type = String.fromCharCode(this.buf[0]!);
          const body = this.buf.subarray(5, len + 1);
          this.buf = this.buf.subarray(len + 1);
          return { type, body };
        }
      }
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Messages up to and including ReadyForQuery (or until the connection closes). */
  async untilReady(): Promise<{ type: string; body: Buffer }[]> {
    const out: { type: string; body: Buffer }[] = [];
    for (;;) {
      const m = await this.message();
      if (!m) return out;
      out.push(m);
      if (m.type === 'Z') return out;
    }
  }

  /** Waits until the server closes the socket. */
  async waitClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  close(): void {
    this.socket.destroy();
  }
}

export function frontend(type: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(b.length + 4, 1);
  return Buffer.concat([head, b]);
}

export function query(sql: string): Buffer {
  return frontend('Q', sql + '\0');
}

/** The SQLSTATE (C field) of an ErrorResponse body. */
export function errorCode(body: Buffer): string {
  let p = 0;
  while (p < body.length && body[p] !== 0) {
    const field = String.fromCharCode(body[p]!);
    const end = body.indexOf(0, p + 1);
    const value = body.toString('utf8', p + 1, end);
    if (field === 'C') return value;
    p = end + 1;
  }
  return '';
}
