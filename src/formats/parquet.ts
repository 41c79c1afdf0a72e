import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Block, Header } from '../core/block.js';
import { concatBlocks } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import { materialize } from '../columns/ops.js';
import { readValue } from '../columns/values.js';
import { formatValueText } from '../types/text-conversion.js';
import type { FormatOptions, OutputFormat, OutputWriter, ResultStatistics } from './format.js';

/**
 * Parquet output through hyparquet-writer. The whole result is buffered and written at the end (Parquet's
 * footer describes every row group). Integers up to 32 bits → INT32, UInt32 / DateTime / 64-bit → INT64,
 * Float32 → FLOAT, Float64 → DOUBLE, Bool → BOOLEAN, String → STRING, Date → INT32 days,
 * DateTime64 → INT64 ticks; anything else as its text in a STRING column. Nullable columns are optional.
 */
type BasicType = 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BOOLEAN' | 'STRING';

function parquetType(t: DataType): BasicType {
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return parquetType(t.inner);
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'UInt8':
    case 'UInt16':
    case 'Date':
    case 'Date32':
    case 'Enum8':
    case 'Enum16':
      return 'INT32';
    case 'UInt32':
    case 'DateTime':
    case 'IPv4':
    case 'Int64':
    case 'UInt64':
    case 'DateTime64':
      return 'INT64';
    case 'Float32':
      return 'FLOAT';
    case 'Float64':
      return 'DOUBLE';
    case 'Bool':
      return 'BOOLEAN';
    default:
      return 'STRING';
  }
}

function columnData(t: DataType, block: Block, k: number, tz: string): unknown[] {
  const col = materialize(block.columns[k]!);
  const kind = parquetType(t);
  const out: unknown[] = new Array(block.rows);
  for (let i = 0; i < block.rows; i++) {
    const v = readValue(t, col, i);
    if (v === null) out[i] = null;
    else if (kind === 'INT64') out[i] = BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.round(Number(v))));
    else if (kind === 'STRING') out[i] = typeof v === 'string' ? v : formatValueText(t, col, i, tz);
    else if (kind === 'BOOLEAN') out[i] = Boolean(v);
    else out[i] = Number(v);
  }
  return out;
}

class ParquetWriter implements OutputWriter {
  private readonly blocks: Block[] = [];

  constructor(
    private readonly header: Header,
    private readonly options: FormatOptions,
    private readonly sink: (chunk: Uint8Array) => void,
  ) {}

  writePrefix(): void {}

  writeBlock(block: Block): void {
    if (block.rows) this.blocks.push(block.materialized());
  }

  writeSuffix(_stats: ResultStatistics): void {
    const all = concatBlocks(this.header, this.blocks);
    const buffer = parquetWriteBuffer({
      columnData: this.header.map((c, k) => ({
        name: c.name,
        data: all.rows ? columnData(c.type, all, k, this.options.timezone) : [],
        type: parquetType(c.type),
        nullable: c.type.kind === 'Nullable',
      })) as never,
      createdBy: 'Hadron',
    });
    this.sink(new Uint8Array(buffer));
  }
}

export const parquetOutput: OutputFormat = {
  name: 'Parquet',
  contentType: 'application/octet-stream',
  createWriter: (header, options, sink) => new ParquetWriter(header, options, sink),
};
