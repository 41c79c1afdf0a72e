import type { DataType } from '../types/data-type.js';
import {
  ArrayColumn,
  BigNumColumn,
  type Column,
  ConstColumn,
  FixedColumn,
  NothingColumn,
  NullableColumn,
  NumericColumn,
  type NumericArray,
  ObjectColumn,
  StringColumn,
  TupleColumn,
} from './column.js';
import { createBuilder } from './builder.js';
import type { Value } from './values.js';

/** Expands a ConstColumn into a full column; other columns are returned as they are. */
export function materialize(col: Column): Column {
  if (col.kind !== 'const') return col;
  if (col.rows === 1) return col.inner;
  return takeColumn(col.inner, new Uint32Array(col.rows));
}

export function constColumn(type: DataType, value: Value, rows: number): ConstColumn {
  const b = createBuilder(type, 1);
  b.push(value);
  return new ConstColumn(b.build(), rows);
}

export function defaultColumn(type: DataType, rows: number): Column {
  const b = createBuilder(type, Math.max(1, rows));
  for (let i = 0; i < rows; i++) b.pushDefault();
  return b.build();
}

/** Keeps the rows whose mask byte is non-zero. `count` (the number of set bytes) may be passed when known. */
export function filterColumn(col: Column, mask: Uint8Array, count = countMask(mask)): Column {
  switch (col.kind) {
    case 'numeric': {
      const src = col.data;
      const out = new (src.constructor as { new (n: number): NumericArray })(count);
      let k = 0;
      const n = mask.length;
      if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
        const o = out as BigInt64Array;
        for (let i = 0; i < n; i++) if (mask[i]) o[k++] = src[i]!;
      } else {
        const s = src as Float64Array;
        const o = out as Float64Array;
        for (let i = 0; i < n; i++) if (mask[i]) o[k++] = s[i]!;
      }
      return new NumericColumn(out);
    }
    case 'string': {
      const { chars, offsets } = col;
      let bytes = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) bytes += offsets[i + 1]! - offsets[i]!;
      const outChars = new Uint8Array(bytes);
      const outOffsets = new Uint32Array(count + 1);
      let k = 0;
      let at = 0;
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        if (e - s > 32) outChars.set(chars.subarray(s, e), at);
        else for (let j = s; j < e; j++) outChars[at + j - s] = chars[j]!;
        at += e - s;
        outOffsets[++k] = at;
      }
      return new StringColumn(outChars, outOffsets);
    }
    default:
      return takeColumn(col, maskToIndices(mask, count));
  }
}

export function countMask(mask: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) c++;
  return c;
}

export function maskToIndices(mask: Uint8Array, count = countMask(mask)): Uint32Array {
  const idx = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) idx[k++] = i;
  return idx;
}

/** Gathers rows by index (sorting, joins, ARRAY JOIN replication). Indices must be in range. */
export function takeColumn(col: Column, idx: Uint32Array | Int32Array): Column {
  const n = idx.length;
  switch (col.kind) {
    case 'numeric': {
      const src = col.data;
      const out = new (src.constructor as { new (n: number): NumericArray })(n);
      if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
        const o = out as BigInt64Array;
        for (let i = 0; i < n; i++) o[i] = src[idx[i]!]!;
      } else {
        const s = src as Float64Array;
        const o = out as Float64Array;
        for (let i = 0; i < n; i++) o[i] = s[idx[i]!]!;
      }
      return new NumericColumn(out);
    }
    case 'bignum': {
      const out: bigint[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = col.data[idx[i]!]!;
      return new BigNumColumn(out);
    }
    case 'string': {
      const { chars, offsets } = col;
      let bytes = 0;
      for (let i = 0; i < n; i++) bytes += offsets[idx[i]! + 1]! - offsets[idx[i]!]!;
      const outChars = new Uint8Array(bytes);
      const outOffsets = new Uint32Array(n + 1);
      let at = 0;
      for (let i = 0; i < n; i++) {
        const s = offsets[idx[i]!]!;
        const e = offsets[idx[i]! + 1]!;
        if (e - s > 32) outChars.set(chars.subarray(s, e), at);
        else for (let j = s; j < e; j++) outChars[at + j - s] = chars[j]!;
        at += e - s;
        outOffsets[i + 1] = at;
      }
      return new StringColumn(outChars, outOffsets);
    }
    case 'fixed': {
      const w = col.width;
      const out = new Uint8Array(n * w);
      for (let i = 0; i < n; i++) out.set(col.data.subarray(idx[i]! * w, idx[i]! * w + w), i * w);
      return new FixedColumn(out, w);
    }
    case 'nullable': {
      const nulls = new Uint8Array(n);
      for (let i = 0; i < n; i++) nulls[i] = col.nulls[idx[i]!]!;
      return new NullableColumn(nulls, takeColumn(col.inner, idx));
    }
    case 'array': {
      const { offsets } = col;
      const outOffsets = new Uint32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += offsets[idx[i]! + 1]! - offsets[idx[i]!]!;
        outOffsets[i + 1] = total;
      }
      const innerIdx = new Uint32Array(total);
      let k = 0;
      for (let i = 0; i < n; i++) {
        for (let j = offsets[idx[i]!]!; j < offsets[idx[i]! + 1]!; j++) innerIdx[k++] = j;
      }
      return new ArrayColumn(outOffsets, takeColumn(col.inner, innerIdx));
    }
    case 'tuple':
      return new TupleColumn(
        col.columns.map((c) => takeColumn(c, idx)),
        n,
      );
    case 'const':
      return new ConstColumn(col.inner, n);
    case 'object': {
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = col.data[idx[i]!];
      return new ObjectColumn(out);
    }
    case 'nothing':
      return new NothingColumn(n);
  }
}

/** Rows [start, end). Numeric and fixed columns share memory with the source. */
export function sliceColumn(col: Column, start: number, end: number): Column {
  if (start === 0 && end === col.length) return col;
  switch (col.kind) {
    case 'numeric':
      return new NumericColumn(col.data.subarray(start, end));
    case 'bignum':
      return new BigNumColumn(col.data.slice(start, end));
    case 'string': {
      const base = col.offsets[start]!;
      const offsets = new Uint32Array(end - start + 1);
      for (let i = start; i <= end; i++) offsets[i - start] = col.offsets[i]! - base;
      return new StringColumn(col.chars.subarray(base, col.offsets[end]!), offsets);
    }
    case 'fixed':
      return new FixedColumn(col.data.subarray(start * col.width, end * col.width), col.width);
    case 'nullable':
      return new NullableColumn(col.nulls.subarray(start, end), sliceColumn(col.inner, start, end));
    case 'array': {
      const base = col.offsets[start]!;
      const offsets = new Uint32Array(end - start + 1);
      for (let i = start; i <= end; i++) offsets[i - start] = col.offsets[i]! - base;
      return new ArrayColumn(offsets, sliceColumn(col.inner, base, col.offsets[end]!));
    }
    case 'tuple':
      return new TupleColumn(
        col.columns.map((c) => sliceColumn(c, start, end)),
        end - start,
      );
    case 'const':
      return new ConstColumn(col.inner, end - start);
    case 'object':
      return new ObjectColumn(col.data.slice(start, end));
    case 'nothing':
      return new NothingColumn(end - start);
  }
}

/** Concatenates columns of one type. */
export function concatColumns(cols: Column[]): Column {
  if (cols.length === 1) return cols[0]!;
  if (cols.length === 0) return new NothingColumn(0);
  if (cols.some((c) => c.kind === 'const')) {
    const first = cols[0]!;
    if (first.kind === 'const' && cols.every((c) => c.kind === 'const' && c.inner === first.inner)) {
      return new ConstColumn(first.inner, cols.reduce((s, c) => s + c.length, 0));
    }
    cols = cols.map(materialize);
  }
  const first = cols[0]!;
  const total = cols.reduce((s, c) => s + c.length, 0);
  switch (first.kind) {
    case 'numeric': {
      const out = new (first.data.constructor as { new (n: number): NumericArray })(total);
      let at = 0;
      for (const c of cols as NumericColumn[]) {
        (out as Float64Array).set(c.data as Float64Array, at);
        at += c.length;
      }
      return new NumericColumn(out);
    }
    case 'bignum':
      return new BigNumColumn(([] as bigint[]).concat(...(cols as BigNumColumn[]).map((c) => c.data)));
    case 'string': {
      const bytes = (cols as StringColumn[]).reduce((s, c) => s + c.offsets[c.length]!, 0);
      const chars = new Uint8Array(bytes);
      const offsets = new Uint32Array(total + 1);
      let at = 0;
      let row = 0;
      for (const c of cols as StringColumn[]) {
        const len = c.offsets[c.length]!;
        chars.set(c.chars.subarray(0, len), at);
        for (let i = 1; i <= c.length; i++) offsets[row + i] = at + c.offsets[i]!;
        at += len;
        row += c.length;
      }
      return new StringColumn(chars, offsets);
    }
    case 'fixed': {
      const out = new Uint8Array(total * first.width);
      let at = 0;
      for (const c of cols as FixedColumn[]) {
        out.set(c.data, at);
        at += c.data.length;
      }
      return new FixedColumn(out, first.width);
    }
    case 'nullable': {
      const nulls = new Uint8Array(total);
      let at = 0;
      for (const c of cols as NullableColumn[]) {
        nulls.set(c.nulls, at);
        at += c.length;
      }
      return new NullableColumn(
        nulls,
        concatColumns((cols as NullableColumn[]).map((c) => c.inner)),
      );
    }
    case 'array': {
      const offsets = new Uint32Array(total + 1);
      let row = 0;
      let base = 0;
      for (const c of cols as ArrayColumn[]) {
        for (let i = 1; i <= c.length; i++) offsets[row + i] = base + c.offsets[i]!;
        row += c.length;
        base += c.offsets[c.length]!;
      }
      return new ArrayColumn(
        offsets,
        concatColumns((cols as ArrayColumn[]).map((c) => c.inner)),
      );
    }
    case 'tuple':
      return new TupleColumn(
        first.columns.map((_, k) => concatColumns((cols as TupleColumn[]).map((c) => c.columns[k]!))),
        total,
      );
    case 'object':
      return new ObjectColumn(([] as unknown[]).concat(...(cols as ObjectColumn[]).map((c) => c.data)));
    case 'nothing':
      return new NothingColumn(total);
    case 'const':
      throw new Error('unreachable: constants were materialised');
  }
}

/** Approximate bytes held by a column, for memory limits and summaries. */
export function columnByteSize(col: Column): number {
  switch (col.kind) {
    case 'numeric':
      return col.data.byteLength;
    case 'bignum':
      return col.data.length * 16;
    case 'string':
      return col.offsets[col.length]! + col.length * 4;
    case 'fixed':
      return col.data.length;
    case 'nullable':
      return col.nulls.length + columnByteSize(col.inner);
    case 'array':
      return col.offsets.byteLength + columnByteSize(col.inner);
    case 'tuple':
      return col.columns.reduce((s, c) => s + columnByteSize(c), 0);
    case 'const':
      return columnByteSize(col.inner);
    case 'object':
      return col.data.length * 64;
    case 'nothing':
      return 0;
  }
}
