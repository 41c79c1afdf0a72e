import type { DataType } from '../types/data-type.js';
import {
  ArrayColumn,
  BigNumColumn,
  type Column,
  FixedColumn,
  NothingColumn,
  NullableColumn,
  NumericColumn,
  type NumericArray,
  type NumericArrayCtor,
  ObjectColumn,
  StringColumn,
  TupleColumn,
  utf8Encoder,
} from './column.js';
import { physicalOf } from './physical.js';
import { type Value, valueToStorage } from './values.js';

/**
 * Growable column builders. Formats and the row-at-a-time paths push values; hot paths use the typed
 * `pushNumber` / `pushBytes` methods and avoid the generic `push`.
 */
export interface ColumnBuilder {
  readonly length: number;
  /** Pushes a row value in Hadron's JS value representation (see values.ts). */
  push(v: Value): void;
  /** Pushes the type's default (0, '', empty array, NULL for Nullable). */
  pushDefault(): void;
  build(): Column;
}

export class NumericBuilder implements ColumnBuilder {
  data: NumericArray;
  length = 0;
  constructor(
    readonly ctor: NumericArrayCtor,
    readonly type: DataType,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }
  private grow(): void {
    const next = new this.ctor(Math.max(16, this.data.length * 2));
    (next as Float64Array).set(this.data as Float64Array);
    this.data = next;
  }
  pushNumber(n: number): void {
    if (this.length === this.data.length) this.grow();
    (this.data as Float64Array)[this.length++] = n;
  }
  pushBig(n: bigint): void {
    if (this.length === this.data.length) this.grow();
    (this.data as BigInt64Array)[this.length++] = n;
  }
  push(v: Value): void {
    const s = valueToStorage(this.type, v);
    if (this.length === this.data.length) this.grow();
    if (typeof s === 'bigint') {
      if (this.data instanceof BigInt64Array || this.data instanceof BigUint64Array) this.data[this.length++] = s;
      else (this.data as Float64Array)[this.length++] = Number(s);
    } else if (this.data instanceof BigInt64Array || this.data instanceof BigUint64Array) {
      this.data[this.length++] = BigInt(Math.trunc(s as number));
    } else (this.data as Float64Array)[this.length++] = s as number;
  }
  pushDefault(): void {
    if (this.length === this.data.length) this.grow();
    this.length++; // typed arrays start zeroed; a grown array is zeroed past the copy
  }
  build(): NumericColumn {
    return new NumericColumn(this.data.slice(0, this.length) as NumericArray);
  }
}

export class BigNumBuilder implements ColumnBuilder {
  data: bigint[] = [];
  constructor(readonly type: DataType) {}
  get length(): number {
    return this.data.length;
  }
  push(v: Value): void {
    this.data.push(valueToStorage(this.type, v) as bigint);
  }
  pushDefault(): void {
    this.data.push(0n);
  }
  build(): BigNumColumn {
    return new BigNumColumn(this.data);
  }
}

export class StringBuilder implements ColumnBuilder {
  chars: Uint8Array;
  offsets: Uint32Array;
  length = 0;
  constructor(capacityRows = 1024, capacityBytes = 16384) {
    this.chars = new Uint8Array(capacityBytes);
    this.offsets = new Uint32Array(capacityRows + 1);
  }
  get byteLength(): number {
    return this.offsets[this.length]!;
  }
  private ensureRows(): void {
    if (this.length + 1 >= this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
  }
  ensureBytes(extra: number): void {
    const need = this.offsets[this.length]! + extra;
    if (need > this.chars.length) {
      let cap = this.chars.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.chars.subarray(0, this.offsets[this.length]!));
      this.chars = next;
    }
  }
  pushString(s: string): void {
    this.ensureRows();
    const start = this.offsets[this.length]!;
    // Worst case 3 bytes per UTF-16 unit.
    this.ensureBytes(s.length * 3);
    let end: number;
    if (s.length < 64) {
      end = start;
      let ascii = true;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        this.chars[end++] = c;
      }
      if (!ascii) end = start + utf8Encoder.encodeInto(s, this.chars.subarray(start)).written!;
    } else {
      end = start + utf8Encoder.encodeInto(s, this.chars.subarray(start)).written!;
    }
    this.offsets[++this.length] = end;
  }
  pushBytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensureRows();
    const n = end - start;
    this.ensureBytes(n);
    const at = this.offsets[this.length]!;
    this.chars.set(src.subarray(start, end), at);
    this.offsets[++this.length] = at + n;
  }
  push(v: Value): void {
    if (v instanceof Uint8Array) this.pushBytes(v);
    else this.pushString(v === null || v === undefined ? '' : String(v));
  }
  pushDefault(): void {
    this.ensureRows();
    this.offsets[this.length + 1] = this.offsets[this.length]!;
    this.length++;
  }
  build(): StringColumn {
    const end = this.offsets[this.length]!;
    return new StringColumn(this.chars.slice(0, end), this.offsets.slice(0, this.length + 1));
  }
}

export class FixedBuilder implements ColumnBuilder {
  data: Uint8Array;
  length = 0;
  constructor(
    readonly width: number,
    readonly type: DataType,
    capacity = 256,
  ) {
    this.data = new Uint8Array(Math.max(1, width * capacity));
  }
  private ensure(): void {
    if ((this.length + 1) * this.width > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, (this.length + 1) * this.width));
      next.set(this.data);
      this.data = next;
    }
  }
  pushBytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensure();
    const n = Math.min(end - start, this.width);
    this.data.set(src.subarray(start, start + n), this.length * this.width);
    this.length++;
  }
  push(v: Value): void {
    this.pushBytes(valueToStorage(this.type, v) as Uint8Array);
  }
  pushDefault(): void {
    this.ensure();
    this.length++;
  }
  build(): FixedColumn {
    return new FixedColumn(this.data.slice(0, this.length * this.width), this.width);
  }
}

export class NullableBuilder implements ColumnBuilder {
  nulls: Uint8Array = new Uint8Array(1024);
  length = 0;
  constructor(readonly inner: ColumnBuilder) {}
  private ensure(): void {
    if (this.length === this.nulls.length) {
      const next = new Uint8Array(this.nulls.length * 2);
      next.set(this.nulls);
      this.nulls = next;
    }
  }
  push(v: Value): void {
    this.ensure();
    if (v === null || v === undefined) {
      this.nulls[this.length++] = 1;
      this.inner.pushDefault();
    } else {
      this.nulls[this.length++] = 0;
      this.inner.push(v);
    }
  }
  pushNull(): void {
    this.ensure();
    this.nulls[this.length++] = 1;
    this.inner.pushDefault();
  }
  /** Marks the next row not-null; the caller pushes the value into `inner` itself. */
  markNotNull(): void {
    this.ensure();
    this.nulls[this.length++] = 0;
  }
  pushDefault(): void {
    this.pushNull();
  }
  build(): NullableColumn {
    return new NullableColumn(this.nulls.slice(0, this.length), this.inner.build());
  }
}

export class ArrayBuilder implements ColumnBuilder {
  offsets: Uint32Array = new Uint32Array(1025);
  length = 0;
  constructor(
    readonly inner: ColumnBuilder,
    readonly isMap = false,
  ) {}
  private ensure(): void {
    if (this.length + 1 >= this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
  }
  push(v: Value): void {
    const items = (v ?? []) as Value[];
    for (const item of items) this.inner.push(item);
    this.ensure();
    this.offsets[this.length + 1] = this.offsets[this.length]! + items.length;
    this.length++;
  }
  /** Closes a row whose elements the caller pushed into `inner` directly. */
  endRow(): void {
    this.ensure();
    this.offsets[this.length + 1] = this.inner.length;
    this.length++;
  }
  pushDefault(): void {
    this.ensure();
    this.offsets[this.length + 1] = this.offsets[this.length]!;
    this.length++;
  }
  build(): ArrayColumn {
    return new ArrayColumn(this.offsets.slice(0, this.length + 1), this.inner.build());
  }
}

export class TupleBuilder implements ColumnBuilder {
  length = 0;
  constructor(readonly elements: ColumnBuilder[]) {}
  push(v: Value): void {
    const items = (v ?? []) as Value[];
    for (let i = 0; i < this.elements.length; i++) {
      const item = items[i];
      if (item === undefined) this.elements[i]!.pushDefault();
      else this.elements[i]!.push(item);
    }
    this.length++;
  }
  /** Closes a row whose elements the caller pushed into each element builder directly. */
  endRow(): void {
    this.length++;
  }
  pushDefault(): void {
    for (const e of this.elements) e.pushDefault();
    this.length++;
  }
  build(): TupleColumn {
    return new TupleColumn(
      this.elements.map((e) => e.build()),
      this.length,
    );
  }
}

export class ObjectBuilder implements ColumnBuilder {
  data: unknown[] = [];
  constructor(private readonly makeDefault: () => unknown = () => null) {}
  get length(): number {
    return this.data.length;
  }
  push(v: Value): void {
    this.data.push(v);
  }
  pushDefault(): void {
    this.data.push(this.makeDefault());
  }
  build(): ObjectColumn {
    return new ObjectColumn(this.data);
  }
}

export class NothingBuilder implements ColumnBuilder {
  length = 0;
  push(): void {
    this.length++;
  }
  pushDefault(): void {
    this.length++;
  }
  build(): NothingColumn {
    return new NothingColumn(this.length);
  }
}

export function createBuilder(type: DataType, capacity = 1024): ColumnBuilder {
  const p = physicalOf(type);
  switch (p.layout) {
    case 'numeric':
      return new NumericBuilder(p.ctor, type, capacity);
    case 'bignum':
      return new BigNumBuilder(type);
    case 'string':
      return new StringBuilder(capacity, capacity * 16);
    case 'fixed':
      return new FixedBuilder(p.width, type, capacity);
    case 'nullable':
      return new NullableBuilder(createBuilder(p.inner, capacity));
    case 'array':
      return new ArrayBuilder(createBuilder(p.element, capacity), type.kind === 'Map');
    case 'tuple':
      return new TupleBuilder(p.elements.map((e) => createBuilder(e, capacity)));
    case 'object':
      return new ObjectBuilder();
    case 'nothing':
      return new NothingBuilder();
  }
}

/** Builds a column from row values. For tests and small results; hot paths build columns directly. */
export function columnFromValues(type: DataType, values: readonly Value[]): Column {
  const b = createBuilder(type, Math.max(16, values.length));
  for (const v of values) b.push(v);
  return b.build();
}
