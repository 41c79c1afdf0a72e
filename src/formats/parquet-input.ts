import { parquetReadObjects } from 'hyparquet';
import { Block, type Header } from '../core/block.js';
import { createBuilder } from '../columns/builder.js';
import type { Value } from '../columns/values.js';
import { baseType, type DataType } from '../types/data-type.js';
import { parseValueText } from '../types/text-conversion.js';
import { DbError } from '../errors/index.js';
import type { FormatOptions, InputFormat, InputReader } from './format.js';

/**
 * Parquet input through hyparquet. Parquet's footer describes the whole file, so the bytes are gathered and
 * parsed at the end (asynchronously: hyparquet reads through a promise). Columns are matched by name;
 * values are converted to the target column types (logical dates and timestamps included).
 */
function convert(v: unknown, type: DataType, tz: string): Value {
  if (v === null || v === undefined) return null;
  const t = baseType(type);
  if (v instanceof Date) {
    const ms = v.getTime();
    switch (t.kind) {
      case 'Date':
      case 'Date32':
        return Math.floor(ms / 86_400_000);
      case 'DateTime':
        return Math.floor(ms / 1000);
      case 'DateTime64':
        return Math.round((ms / 1000) * 10 ** t.precision);
      default:
        return parseValueText(t, v.toISOString().replace('T', ' ').replace('Z', ''), 'UTC');
    }
  }
  if (typeof v === 'string') {
    if (t.kind === 'String' || t.kind === 'FixedString') return v;
    return parseValueText(t, v, tz);
  }
  if (v instanceof Uint8Array) return t.kind === 'String' || t.kind === 'FixedString' ? v : parseValueText(t, Buffer.from(v).toString('utf8'), tz);
  if (typeof v === 'boolean') return t.kind === 'Bool' ? v : v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (t.kind === 'String') return String(v);
    if (t.kind === 'Decimal') return typeof v === 'bigint' ? v : BigInt(Math.round(v * 10 ** t.scale));
    return v;
  }
  if (Array.isArray(v)) {
    const et = t.kind === 'Array' ? t.element : t;
    return v.map((x) => convert(x, et, tz));
  }
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

class ParquetReader implements InputReader {
  private chunks: Uint8Array[] = [];
  constructor(
    private readonly header: Header,
    private readonly options: FormatOptions & { readonly blockRows: number },
  ) {}
  push(chunk: Uint8Array): Block[] {
    this.chunks.push(chunk);
    return [];
  }
  async end(): Promise<Block[]> {
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    if (!bytes.length) return [];
    let rows: Record<string, unknown>[];
    try {
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      rows = (await parquetReadObjects({ file, columns: this.header.map((c) => c.name) })) as Record<string, unknown>[];
    } catch (e) {
      throw new DbError('INCORRECT_DATA', `Cannot read Parquet data: ${(e as Error).message}`);
    }
    const blocks: Block[] = [];
    for (let start = 0; start < rows.length; start += this.options.blockRows) {
      const slice = rows.slice(start, start + this.options.blockRows);
      const columns = this.header.map((c) => {
        const b = createBuilder(c.type, slice.length);
        for (const r of slice) {
          const v = convert(r[c.name], c.type, this.options.timezone);
          if (v === null && c.type.kind !== 'Nullable') b.pushDefault();
          else b.push(v);
        }
        return b.build();
      });
      blocks.push(new Block(this.header, columns, slice.length));
    }
    return blocks;
  }
}

export const parquetInput: InputFormat = {
  name: 'Parquet',
  createReader: (header, options) => new ParquetReader(header, options),
};
