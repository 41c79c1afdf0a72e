// A minimal native-protocol client for the query-rate benchmark: Hello, then Query packets (revision
// 54460, no compression), reading packets to EndOfStream. Built on Hadron's own decoders from dist/;
// compatibility is proven by real clients in compat-tests/, this only measures round trips.
import net from 'node:net';
import { BinaryWriter } from '../../dist/src/types/serializations/buffer.js';
import { SocketInput } from '../../dist/protocols/native/socket-input.js';
import { readBlock } from '../../dist/protocols/native/block-input.js';

const REVISION = 54460;

export class NativeMiniClient {
  /** @param {net.Socket} socket */
  constructor(socket) {
    this.socket = socket;
    this.input = new SocketInput(socket, 1 << 30);
    this.revision = REVISION;
  }

  /** @param {number} port */
  static async connect(port) {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay(true);
    const c = new NativeMiniClient(socket);
    const w = new BinaryWriter(128);
    w.varuint(0);
    w.string('hadron-bench');
    w.varuint(24);
    w.varuint(8);
    w.varuint(REVISION);
    w.string('');
    w.string('default');
    w.string('');
    socket.write(w.toBytes());
    const code = await c.input.parse((r) => r.varuint());
    if (code !== 0) throw new Error(`native hello failed (packet ${code})`);
    await c.input.parse((r) => {
      r.string();
      r.varuint();
      r.varuint();
      c.revision = Math.min(REVISION, r.varuint());
      if (c.revision >= 54058) r.string();
      if (c.revision >= 54372) r.string();
      if (c.revision >= 54401) r.varuint();
    });
    if (c.revision >= 54458) {
      const a = new BinaryWriter(8);
      a.string('');
      socket.write(a.toBytes());
    }
    return c;
  }

  /** Runs `sql`; resolves with the number of rows received. @param {string} sql */
  async query(sql) {
    const rev = this.revision;
    const w = new BinaryWriter(256 + sql.length);
    w.varuint(1);
    w.string('');
    w.u8(1);
    w.string('');
    w.string('');
    w.string('[::ffff:127.0.0.1]:0');
    if (rev >= 54449) w.i64n(0);
    w.u8(1);
    w.string('bench');
    w.string('localhost');
    w.string('hadron-bench');
    w.varuint(24);
    w.varuint(8);
    w.varuint(rev);
    w.string('');
    if (rev >= 54448) w.varuint(0);
    w.varuint(1);
    if (rev >= 54442) w.u8(0);
    if (rev >= 54453) {
      w.varuint(0);
      w.varuint(0);
      w.varuint(0);
    }
    w.string(''); // no settings
    if (rev >= 54441) w.string('');
    w.varuint(2);
    w.varuint(0);
    w.string(sql);
    if (rev >= 54459) w.string(''); // no parameters
    // The empty block that ends the (absent) external tables.
    w.varuint(2);
    w.string('');
    for (const b of [1, 0, 2, 255, 255, 255, 255, 0, 0, 0]) w.u8(b);
    this.socket.write(w.toBytes());
    let rows = 0;
    for (;;) {
      const code = await this.input.parse((r) => r.varuint());
      if (code === 5) return rows;
      if (code === 1 || code === 7 || code === 8 || code === 10 || code === 14) {
        await this.input.parse((r) => r.string());
        const b = await readBlock(this.input, false, { revision: rev, maxBlockBytes: 1 << 30 });
        if (code === 1) rows += b.rows;
      } else if (code === 3) {
        await this.input.parse((r) => {
          for (let i = 0; i < 3; i++) r.varuint();
          if (rev >= 54420) (r.varuint(), r.varuint());
          if (rev >= 54460) r.varuint();
        });
      } else if (code === 6) {
        await this.input.parse((r) => (r.varuint(), r.varuint(), r.varuint(), r.u8(), r.varuint(), r.u8()));
      } else if (code === 2) {
        const message = await this.input.parse((r) => (r.i32(), r.string(), r.string()));
        throw new Error(message);
      } else throw new Error(`unexpected packet ${code}`);
    }
  }

  close() {
    this.socket.destroy();
  }
}
