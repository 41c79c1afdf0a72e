import { Block, type ColumnInfo } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { DbError } from '../errors/index.js';
import { parseDataType } from '../types/type-factory.js';
import { BinaryReader, BinaryWriter, NeedMoreData } from '../types/serializations/buffer.js';
import { type NativeCodecOptions, readNativeColumn, writeNativeColumn } from '../types/serializations/native-column.js';

/**
 * A Block in ClickHouse's Native format: [BlockInfo], VarUInt columns, VarUInt rows, then per column its name,
 * type name, [custom-serialization flag], and data (zero bytes when the block has zero rows).
 */

/** Protocol revision from which each column carries a "has custom serialization" byte. */
export const REVISION_WITH_CUSTOM_SERIALIZATION = 54454;

export interface NativeBlockOptions extends NativeCodecOptions {
  /** The client's protocol revision (`client_protocol_version` over HTTP, 0 = none). */
  readonly revision: number;
  /** Write / expect BlockInfo (native TCP always; HTTP when client_protocol_version > 0). */
  readonly withBlockInfo: boolean;
}

export interface BlockInfo {
  readonly isOverflows: boolean;
  readonly bucketNum: number;
}

export const DEFAULT_BLOCK_INFO: BlockInfo = { isOverflows: false, bucketNum: -1 };

export function writeBlockInfo(w: BinaryWriter, info: BlockInfo = DEFAULT_BLOCK_INFO): void {
  w.varuint(1);
  w.u8(info.isOverflows ? 1 : 0);
  w.varuint(2);
  w.i32(info.bucketNum);
  w.varuint(0);
}

export function readBlockInfo(r: BinaryReader): BlockInfo {
  let isOverflows = false;
  let bucketNum = -1;
  for (;;) {
    const field = r.varuint();
    if (field === 0) break;
    if (field === 1) isOverflows = r.u8() !== 0;
    else if (field === 2) bucketNum = r.i32();
    else throw new DbError('UNKNOWN_BLOCK_INFO_FIELD', `Unknown BlockInfo field number ${field}`);
  }
  return { isOverflows, bucketNum };
}

/** Appends `block` to `w`. */
export function encodeNativeBlock(block: Block, w: BinaryWriter, options: NativeBlockOptions, info?: BlockInfo): void {
  if (options.withBlockInfo) writeBlockInfo(w, info);
  const header = block.header;
  w.varuint(header.length);
  w.varuint(block.rows);
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    w.string(c.name);
    w.string(c.type.name);
    if (options.revision >= REVISION_WITH_CUSTOM_SERIALIZATION) w.u8(0);
    if (block.rows > 0) writeNativeColumn(c.type, block.columns[i]!, w, options);
  }
}

export function encodeNativeBlockToBytes(block: Block, options: NativeBlockOptions): Uint8Array {
  const w = new BinaryWriter(Math.max(1024, block.byteSize + 64 * block.header.length + 64));
  encodeNativeBlock(block, w, options);
  return w.toBytes();
}

/** Upper bound on columns in one block, to refuse absurd counts from corrupted input. */
const MAX_COLUMNS = 1_000_000;

export interface DecodedNativeBlock {
  readonly block: Block;
  readonly info: BlockInfo;
}

/** Reads one block at `r.pos`. Throws CANNOT_READ_ALL_DATA (or NeedMoreData when `r.partial`) on short input. */
export function decodeNativeBlockWithInfo(r: BinaryReader, options: NativeBlockOptions): DecodedNativeBlock {
  const info = options.withBlockInfo ? readBlockInfo(r) : DEFAULT_BLOCK_INFO;
  const ncols = r.varuint();
  const rows = r.varuint();
  if (ncols > MAX_COLUMNS) throw r.corrupt(`Too many columns in Native block: ${ncols}`);
  // Every column with rows > 0 takes at least one byte per row: refuse row counts the input cannot hold.
  if (ncols > 0 && rows > r.remaining) r.fail(rows);
  const header: ColumnInfo[] = [];
  const columns: Column[] = [];
  const savedContext = r.context;
  for (let i = 0; i < ncols; i++) {
    const name = r.string();
    const typeName = r.string();
    r.context = `column ${name} of type ${typeName}`;
    if (options.revision >= REVISION_WITH_CUSTOM_SERIALIZATION) {
      const custom = r.u8();
      if (custom !== 0) throw new DbError('NOT_IMPLEMENTED', `Custom (sparse) serialization of column ${name} is not supported`);
    }
    const type = parseDataType(typeName);
    header.push({ name, type });
    columns.push(rows > 0 ? readNativeColumn(type, r, rows, options) : emptyColumnOf(type));
    r.context = savedContext;
  }
  return { block: new Block(header, columns, rows), info };
}

export function decodeNativeBlock(r: BinaryReader, options: NativeBlockOptions): Block {
  return decodeNativeBlockWithInfo(r, options).block;
}

function emptyColumnOf(type: ColumnInfo['type']): Column {
  return Block.empty([{ name: '', type }]).columns[0]!;
}

/**
 * Decodes a byte stream of many Native blocks that arrives in chunks (HTTP `FORMAT Native` input).
 * A block split across chunks is retried when enough new bytes have arrived: never earlier than the point
 * the last attempt stopped at, and, for large blocks, only after the buffered bytes double, so a big block
 * arriving in small chunks costs O(n) rather than O(n^2).
 */
export class NativeBlockStreamDecoder {
  /** Chunks received and not yet joined; joined into one buffer only when a decode is attempted. */
  private parts: Uint8Array[] = [];
  private buffered = 0;
  private retryAt = 0;

  constructor(private readonly options: NativeBlockOptions) {}

  push(chunk: Uint8Array): Block[] {
    if (chunk.length) {
      this.parts.push(chunk);
      this.buffered += chunk.length;
    }
    const out: Block[] = [];
    if (this.buffered === 0 || this.buffered < this.retryAt) return out;
    this.decodeAvailable(out, true);
    return out;
  }

  end(): Block[] {
    const out: Block[] = [];
    if (this.buffered > 0) this.decodeAvailable(out, false);
    return out;
  }

  private joined(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0]!;
    const all = new Uint8Array(this.buffered);
    let at = 0;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    this.parts = [all];
    return all;
  }

  private decodeAvailable(out: Block[], partial: boolean): void {
    const buf = this.joined();
    const r = new BinaryReader(buf, 0);
    r.partial = partial;
    this.retryAt = 0;
    while (r.pos < r.end) {
      const at = r.pos;
      try {
        out.push(decodeNativeBlock(r, this.options));
      } catch (e) {
        if (e instanceof NeedMoreData) {
          r.pos = at;
          const have = buf.length - at;
          this.retryAt = Math.max(e.needed - at, have >= 1 << 16 ? have * 2 : 0);
          break;
        }
        throw e;
      }
    }
    const rest = buf.subarray(r.pos);
    this.parts = rest.length ? [rest] : [];
    this.buffered = rest.length;
  }
}
