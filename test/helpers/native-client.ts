import net from 'node:net';
import { Block } from '../../src/core/block.js';
import { encodeCompressedBlock, initZstd, type CompressionMethod } from '../../src/compression/index.js';
import { encodeNativeBlock } from '../../src/formats/native-block.js';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';
import { readBlock } from '../../protocols/native/block-input.js';
import { SocketInput } from '../../protocols/native/socket-input.js';

/**
 * A small native-protocol client for tests that need to reach below what real clients let us do (bad
 * packets, exact packet order). Compatibility itself is proven by real clients in compat-tests/.
 */

export interface NativeException {
  readonly code: number;
  readonly name: string;
  readonly message: string;
}

export interface NativeResult {
  readonly blocks: Block[];
  readonly header: Block | undefined;
  readonly progressPackets: number;
  readonly packets: number[];
  readonly totals?: Block;
  readonly extremes?: Block;
  readonly exception?: NativeException;
}

export interface NativeClientOptions {
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly revision?: number;
  readonly compression?: CompressionMethod;
}

export class TestNativeClient {
  readonly socket: net.Socket;
  readonly input: SocketInput;
  serverRevision = 0;
  serverTimezone = '';
  serverName = '';

  private constructor(
    socket: net.Socket,
    private readonly options: NativeClientOptions,
  ) {
    this.socket = socket;
    this.input = new SocketInput(socket, 1 << 30);
  }

  get revision(): number {
    return Math.min(this.options.revision ?? 54460, this.serverRevision || 54460);
  }

  static async connect(options: NativeClientOptions): Promise<TestNativeClient> {
    const socket = net.connect(options.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    if (options.compression === 'zstd') await initZstd();
    const c = new TestNativeClient(socket, options);
    const w = new BinaryWriter(256);
    w.varuint(0);
    w.string('hadron-test');
    w.varuint(24);
    w.varuint(8);
    w.varuint(options.revision ?? 54460);
    w.string(options.database ?? '');
    w.string(options.user ?? 'default');
    w.string(options.password ?? '');
    socket.write(w.toBytes());
    const code = await c.input.parse((r) => r.varuint());
    if (code === 2) {
      const e = await c.readException();
      socket.destroy();
      throw Object.assign(new Error(e.message), e);
    }
    if (code !== 0) throw new Error(`expected Hello, got ${code}`);
    await c.input.parse((r) => {
      c.serverName = r.string();
      r.varuint();
      r.varuint();
      c.serverRevision = r.varuint();
      if (c.serverRevision >= 54058) c.serverTimezone = r.string();
      if (c.serverRevision >= 54372) r.string();
      if (c.serverRevision >= 54401) r.varuint();
    });
    if (c.revision >= 54458) {
      const a = new BinaryWriter(8);
      a.string('');
      socket.write(a.toBytes());
    }
    return c;
  }

  /** The bytes of a Query packet (revision-aware), for tests that want to tamper with them. */
  queryPacket(sql: string, settings: Record<string, string> = {}, params: Record<string, string> = {}, queryId = ''): Uint8Array {
    const rev = this.revision;
    const w = new BinaryWriter(1024);
    w.varuint(1);
    w.string(queryId);
    // ClientInfo
    w.u8(1);
    w.string('');
    w.string('');
    w.string('[::ffff:127.0.0.1]:0');
    if (rev >= 54449) w.i64n(0);
    w.u8(1); // TCP
    w.string('tester');
    w.string('localhost');
    w.string('hadron-test');
    w.varuint(24);
    w.varuint(8);
    w.varuint(rev);
    if (rev >= 54060) w.string('');
    if (rev >= 54448) w.varuint(0);
    if (rev >= 54401) w.varuint(1);
    if (rev >= 54442) w.u8(0);
    if (rev >= 54453) {
      w.varuint(0);
      w.varuint(0);
      w.varuint(0);
    }
    for (const [k, v] of Object.entries(settings)) {
      w.string(k);
      // Before 54429 a setting's value is in its type's binary form; tests only pass string-typed ones then.
      if (rev >= 54429) w.varuint(0);
      w.string(v);
    }
    w.string('');
    if (rev >= 54441) w.string('');
    w.varuint(2);
    w.varuint(this.options.compression ? 1 : 0);
    w.string(sql);
    if (rev >= 54459) {
      for (const [k, v] of Object.entries(params)) {
        w.string(k);
        w.varuint(2);
        w.string(`'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
      }
      w.string('');
    }
    return w.toBytes();
  }

  /** A Data packet carrying `block` (compressed when the connection compresses). */
  dataPacket(block: Block, tableName = ''): Uint8Array {
    const w = new BinaryWriter(1024);
    w.varuint(2);
    w.string(tableName);
    const body = new BinaryWriter(1024);
    encodeNativeBlock(block, body, { revision: this.revision, withBlockInfo: true });
    if (this.options.compression) w.bytes(encodeCompressedBlock(body.toBytes(), this.options.compression));
    else w.bytes(body.toBytes());
    return w.toBytes();
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Runs a query to its end. `onPacket` sees each packet code as it arrives (to cancel mid-way). */
  async query(
    sql: string,
    opts: {
      settings?: Record<string, string>;
      params?: Record<string, string>;
      queryId?: string;
      onPacket?: (code: number) => void;
      /** Sees each result Data block as it arrives (streaming queries never reach EndOfStream by themselves). */
      onBlock?: (block: Block) => void;
      insert?: Block[];
      external?: Record<string, Block>;
    } = {},
  ): Promise<NativeResult> {
    this.send(this.queryPacket(sql, opts.settings, opts.params, opts.queryId));
    for (const [name, b] of Object.entries(opts.external ?? {})) this.send(this.dataPacket(b, name));
    this.send(this.dataPacket(Block.empty([]))); // end of external tables
    const blocks: Block[] = [];
    const packets: number[] = [];
    let header: Block | undefined;
    let progressPackets = 0;
    let totals: Block | undefined;
    let extremes: Block | undefined;
    let insertSent = false;
    for (;;) {
      const code = await this.input.parse((r) => r.varuint());
      packets.push(code);
      opts.onPacket?.(code);
      switch (code) {
        case 1: {
          const b = await this.readDataBlock();
          if (opts.insert && !insertSent) {
            insertSent = true;
            header = b;
            for (const ib of opts.insert) this.send(this.dataPacket(ib));
            this.send(this.dataPacket(Block.empty([])));
          } else if (header === undefined) header = b;
          else if (b.header.length > 0) {
            blocks.push(b);
            opts.onBlock?.(b);
          }
          break;
        }
        case 2:
          return { blocks, header, progressPackets, packets, totals, extremes, exception: await this.readException() };
        case 3:
          progressPackets++;
          await this.input.parse((r) => {
            for (let i = 0; i < 3; i++) r.varuint();
            if (this.revision >= 54420) {
              r.varuint();
              r.varuint();
            }
            if (this.revision >= 54460) r.varuint();
          });
          break;
        case 5:
          return { blocks, header, progressPackets, packets, totals, extremes };
        case 6:
          await this.input.parse((r) => {
            r.varuint();
            r.varuint();
            r.varuint();
            r.u8();
            r.varuint();
            r.u8();
          });
          break;
        case 7:
          totals = await this.readDataBlock();
          break;
        case 8:
          extremes = await this.readDataBlock();
          break;
        case 10:
        case 14:
          await this.input.parse((r) => r.string());
          await readBlock(this.input, false, { revision: this.revision, maxBlockBytes: 1 << 30 });
          break;
        case 11:
          await this.input.parse((r) => {
            r.string();
            r.string();
          });
          break;
        default:
          throw new Error(`unexpected packet ${code}`);
      }
    }
  }

  async ping(): Promise<number> {
    this.send(Uint8Array.of(4));
    return this.input.parse((r) => r.varuint());
  }

  cancel(): void {
    this.send(Uint8Array.of(3));
  }

  private async readDataBlock(): Promise<Block> {
    await this.input.parse((r) => r.string());
    return readBlock(this.input, this.options.compression !== undefined, { revision: this.revision, maxBlockBytes: 1 << 30 });
  }

  async readException(): Promise<NativeException> {
    return this.input.parse((r) => {
      const code = r.i32();
      const name = r.string();
      const message = r.string();
      r.string();
      let nested = r.u8();
      while (nested) {
        r.i32();
        r.string();
        r.string();
        r.string();
        nested = r.u8();
      }
      return { code, name, message };
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
