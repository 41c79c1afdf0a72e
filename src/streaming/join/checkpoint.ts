import { Block } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import type { DataType } from '../../types/data-type.js';
import { BinaryReader, BinaryWriter } from '../../types/serializations/buffer.js';
import { decodeNativeBlock, encodeNativeBlock } from '../../formats/native-block.js';
import type { JoinCheckpoint } from './streaming-join.js';

function defaults(type: DataType, rows: number): Column {
  const b = createBuilder(type, rows);
  for (let i = 0; i < rows; i++) b.pushDefault();
  return b.build();
}

const MAGIC = 0x434a4848; // "HHJC" little-endian
const VERSION = 2;
const NATIVE = { revision: 0, withBlockInfo: false } as const;

/**
 * A streaming join's state as bytes (for a materialized view's or a subscription's checkpoint file): "HHJC",
 * u32 version, the two watermarks (f64; -Infinity before a side's first row), then per side a varuint count of
 * buckets and for each its start (f64) and its live rows as a Native block.
 */
export function encodeJoinCheckpoint(cp: JoinCheckpoint): Uint8Array {
  const w = new BinaryWriter(64 * 1024);
  w.u32(MAGIC);
  w.u32(VERSION);
  w.f64(cp.leftWatermark);
  w.f64(cp.rightWatermark);
  for (const side of [cp.left, cp.right]) {
    w.varuint(side.length);
    for (const { bucket, block } of side) {
      w.f64(bucket);
      writeBlock(w, block);
    }
  }
  w.u8(cp.held ? 1 : 0);
  if (cp.held) {
    w.f64(cp.held.seen[0]);
    w.f64(cp.held.seen[1]);
    for (const blocks of [cp.held.left, cp.held.right]) {
      w.varuint(blocks.length);
      for (const b of blocks) writeBlock(w, b);
    }
  }
  return w.toBytes();
}

function writeBlock(w: BinaryWriter, block: Block): void {
  // Columns the query does not read are NothingColumn: they are stored as defaults.
  const b = block.materialized();
  const cols = b.columns.map((c, i) => (c.kind === 'nothing' ? defaults(b.header[i]!.type, b.rows) : c));
  encodeNativeBlock(new Block(b.header, cols, b.rows), w, NATIVE);
}

export function decodeJoinCheckpoint(bytes: Uint8Array): JoinCheckpoint {
  const r = new BinaryReader(bytes);
  if (r.u32() !== MAGIC) throw new DbError('CORRUPTED_DATA', 'Not a streaming join checkpoint');
  const version = r.u32();
  if (version !== 1 && version !== VERSION) throw new DbError('CORRUPTED_DATA', `Unsupported streaming join checkpoint version ${version}`);
  const leftWatermark = r.f64();
  const rightWatermark = r.f64();
  const sides: { bucket: number; block: Block }[][] = [];
  for (let s = 0; s < 2; s++) {
    const n = r.varuint();
    const buckets: { bucket: number; block: Block }[] = [];
    for (let i = 0; i < n; i++) {
      const bucket = r.f64();
      buckets.push({ bucket, block: decodeNativeBlock(r, NATIVE) });
    }
    sides.push(buckets);
  }
  let held: JoinCheckpoint['held'];
  if (version >= 2 && r.u8() === 1) {
    const seen: [number, number] = [r.f64(), r.f64()];
    const lists: Block[][] = [];
    for (let s = 0; s < 2; s++) {
      const n = r.varuint();
      const list: Block[] = [];
      for (let i = 0; i < n; i++) list.push(decodeNativeBlock(r, NATIVE));
      lists.push(list);
    }
    held = { left: lists[0]!, right: lists[1]!, seen };
  }
  return { left: sides[0]!, right: sides[1]!, leftWatermark, rightWatermark, held };
}
