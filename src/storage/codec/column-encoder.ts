import { serialize } from 'node:v8';
import type { Column, StringColumn } from '../../columns/column.js';
import { materialize, sliceColumn } from '../../columns/ops.js';
import { align, arrayKindOf, ColumnTag } from './column-codec-format.js';

/**
 * Encodes columns into the format of column-codec-format.ts. Two passes: `measure` computes the exact size
 * (alignment included) so the output is allocated once; `write` fills it with bulk typed-array copies.
 */

export interface EncodeOptions {
  /** Bytes left free (zeroed) before the encoded data, e.g. a record header; keep it a multiple of 8. */
  readonly headroom?: number;
  /** Pads the total length to a multiple of this (zero bytes). */
  readonly padTo?: number;
}

const MASK64 = (1n << 64n) - 1n;

class ColumnWriter {
  private readonly view: DataView;
  /** Structured-clone bytes of object columns, produced while measuring and consumed in the same order. */
  private readonly objects: Uint8Array[];
  private objectAt = 0;
  pos: number;

  constructor(
    readonly out: Uint8Array,
    start: number,
    objects: Uint8Array[],
  ) {
    this.view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    this.pos = start;
    this.objects = objects;
  }

  u8(v: number): void {
    this.out[this.pos++] = v;
  }
  u32(v: number): void {
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  pad(to: number): void {
    const next = align(this.pos, to);
    while (this.pos < next) this.out[this.pos++] = 0;
  }
  bytes(b: Uint8Array): void {
    this.out.set(b, this.pos);
    this.pos += b.length;
  }
  /** Writes n+1 offsets rebased so the first is 0. */
  offsets(o: Uint32Array, n: number): void {
    const base = o[0]!;
    if (base === 0 && (this.out.byteOffset + this.pos) % 4 === 0) {
      new Uint32Array(this.out.buffer, this.out.byteOffset + this.pos, n + 1).set(o.subarray(0, n + 1));
    } else {
      for (let i = 0; i <= n; i++) this.view.setUint32(this.pos + i * 4, o[i]! - base, true);
    }
    this.pos += (n + 1) * 4;
  }

  column(col: Column): void {
    switch (col.kind) {
      case 'numeric': {
        const d = col.data;
        this.u8(ColumnTag.Numeric);
        this.u8(arrayKindOf(d));
        this.u32(d.length);
        this.pad(8);
        this.bytes(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
        return;
      }
      case 'bignum': {
        this.u8(ColumnTag.BigNum);
        const signed = col.data.some((v) => v < 0n);
        this.u8(signed ? 1 : 0);
        this.u32(col.data.length);
        this.pad(8);
        for (const v of col.data) {
          let x = BigInt.asUintN(256, v);
          for (let k = 0; k < 4; k++) {
            this.view.setBigUint64(this.pos + k * 8, x & MASK64, true);
            x >>= 64n;
          }
          this.pos += 32;
        }
        return;
      }
      case 'string': {
        const n = col.length;
        const o = col.offsets;
        const width = lengthWidth(col);
        this.u8(ColumnTag.String);
        this.u32(n);
        this.u32(o[n]! - o[0]!);
        this.u8(width);
        this.pad(width);
        const abs = this.out.byteOffset + this.pos;
        if (width === 1) {
          const out = this.out;
          const p = this.pos;
          for (let i = 0; i < n; i++) out[p + i] = o[i + 1]! - o[i]!;
        } else if (width === 2) {
          const out = new Uint16Array(this.out.buffer, abs, n);
          for (let i = 0; i < n; i++) out[i] = o[i + 1]! - o[i]!;
        } else {
          const out = new Uint32Array(this.out.buffer, abs, n);
          for (let i = 0; i < n; i++) out[i] = o[i + 1]! - o[i]!;
        }
        this.pos += n * width;
        this.bytes(col.chars.subarray(o[0]!, o[n]!));
        return;
      }
      case 'fixed':
        this.u8(ColumnTag.Fixed);
        this.u32(col.width);
        this.u32(col.length);
        this.bytes(col.data.subarray(0, col.length * col.width));
        return;
      case 'nullable':
        this.u8(ColumnTag.Nullable);
        this.u32(col.nulls.length);
        this.bytes(col.nulls);
        this.column(col.inner);
        return;
      case 'array': {
        const n = col.length;
        this.u8(ColumnTag.Array);
        this.u32(n);
        this.pad(4);
        this.offsets(col.offsets, n);
        const base = col.offsets[0]!;
        this.column(base === 0 && col.offsets[n] === col.inner.length ? col.inner : sliceInner(col.inner, base, col.offsets[n]!));
        return;
      }
      case 'tuple':
        this.u8(ColumnTag.Tuple);
        this.u32(col.rows);
        this.u32(col.columns.length);
        for (const c of col.columns) this.column(c);
        return;
      case 'object': {
        const b = this.objects[this.objectAt++]!;
        this.u8(ColumnTag.Object);
        this.u32(col.data.length);
        this.u32(b.length);
        this.bytes(b);
        return;
      }
      case 'nothing':
        this.u8(ColumnTag.Nothing);
        this.u32(col.rows);
        return;
      case 'const':
        this.column(materialize(col));
        return;
    }
  }
}

function sliceInner(inner: Column, start: number, end: number): Column {
  return sliceColumn(inner, start, end);
}

/** Bytes per row length: the narrowest of 1, 2, 4 that holds the longest value (cached per column). */
const widths = new WeakMap<StringColumn, number>();
function lengthWidth(col: StringColumn): number {
  let w = widths.get(col);
  if (w === undefined) {
    const o = col.offsets;
    let max = 0;
    for (let i = 0; i < col.length; i++) {
      const l = o[i + 1]! - o[i]!;
      if (l > max) max = l;
    }
    w = max < 256 ? 1 : max < 65536 ? 2 : 4;
    widths.set(col, w);
  }
  return w;
}

/** Size of the column's encoding when it starts at `pos`; returns the end position. */
function measure(col: Column, pos: number, objects: Uint8Array[]): number {
  switch (col.kind) {
    case 'numeric':
      return align(pos + 6, 8) + col.data.byteLength;
    case 'bignum':
      return align(pos + 6, 8) + col.data.length * 32;
    case 'string': {
      const n = col.length;
      const w = lengthWidth(col);
      return align(pos + 10, w) + n * w + (col.offsets[n]! - col.offsets[0]!);
    }
    case 'fixed':
      return pos + 9 + col.length * col.width;
    case 'nullable':
      return measure(col.inner, pos + 5 + col.nulls.length, objects);
    case 'array': {
      const n = col.length;
      const base = col.offsets[0]!;
      const inner = base === 0 && col.offsets[n] === col.inner.length ? col.inner : sliceInner(col.inner, base, col.offsets[n]!);
      return measure(inner, align(pos + 5, 4) + (n + 1) * 4, objects);
    }
    case 'tuple': {
      let p = pos + 9;
      for (const c of col.columns) p = measure(c, p, objects);
      return p;
    }
    case 'object': {
      const b = serialize(col.data);
      objects.push(b);
      return pos + 9 + b.length;
    }
    case 'nothing':
      return pos + 5;
    case 'const':
      return measure(materialize(col), pos, objects);
  }
}

/**
 * A fresh, 8-aligned buffer without the zero fill (every byte is written: data, header fields, explicit padding).
 * Small sizes use a plain Uint8Array; large ones skip the memset that would cost as much as the copy.
 */
function allocate(n: number): Uint8Array {
  if (n < 4096) return new Uint8Array(n);
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Encodes a block's columns (rows, count, columns). */
export function encodeColumns(columns: readonly Column[], rows: number, options: EncodeOptions = {}): Uint8Array {
  return encodeColumnsWithEnd(columns, rows, options).buf;
}

/** As encodeColumns, also returning where the encoding ends (before the tail padding). */
export function encodeColumnsWithEnd(columns: readonly Column[], rows: number, options: EncodeOptions = {}): { buf: Uint8Array; end: number } {
  const headroom = options.headroom ?? 0;
  const cols = columns.map(materialize);
  const objects: Uint8Array[] = [];
  let end = headroom + 8;
  for (const c of cols) end = measure(c, end, objects);
  const total = options.padTo ? align(end, options.padTo) : end;
  const out = allocate(total);
  out.fill(0, 0, headroom);
  out.fill(0, end, total);
  const w = new ColumnWriter(out, headroom, objects);
  w.u32(rows);
  w.u32(cols.length);
  for (const c of cols) w.column(c);
  if (w.pos !== end) throw new Error(`column encoder wrote ${w.pos - headroom} bytes, measured ${end - headroom}`);
  return { buf: out, end };
}

/**
 * Encodes one column on its own (part files store one column per file). With `scratch`, the result is a view
 * into a reused buffer, valid until the next call with the same scratch (for data compressed right away).
 */
export function encodeColumn(column: Column, scratch?: { buf: Uint8Array }): Uint8Array {
  const objects: Uint8Array[] = [];
  const col = materialize(column);
  const end = measure(col, 0, objects);
  let out: Uint8Array;
  if (scratch) {
    if (scratch.buf.length < end) scratch.buf = allocate(Math.max(end, scratch.buf.length * 2));
    out = scratch.buf.subarray(0, end);
  } else {
    out = allocate(end);
  }
  const w = new ColumnWriter(out, 0, objects);
  w.column(col);
  return out;
}
