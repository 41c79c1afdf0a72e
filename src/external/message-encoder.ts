import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import { readValue } from '../columns/values.js';
import { getOutputFormat } from '../formats/registry.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import type { FunctionContext } from '../functions/function.js';
import { formatValueText } from '../types/text-conversion.js';
import { DbError } from '../errors/index.js';
import type { KafkaDataFormat } from './kafka-settings.js';

/** A message to produce. `partition` undefined: the producer picks (by key hash, else round robin). */
export interface OutgoingMessage {
  readonly value: Buffer;
  readonly key?: Buffer;
  readonly partition?: number;
  readonly timestampMs: number;
}

export interface EncoderOptions {
  readonly userHeader: Header;
  readonly dataFormat: KafkaDataFormat;
  readonly oneMessagePerRow: boolean;
  readonly maxMessageBytes: number;
  readonly timezone: string;
  readonly messageKey?: CompiledExpr;
  readonly shardingExpr?: CompiledExpr;
}

const OUTPUT_SETTINGS = new Map<string, string>();

/** Splits formatted text into its rows: at newlines, outside CSV quotes. */
function splitRows(buf: Buffer, csv: boolean, rows: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (csv && c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) {
      out.push(buf.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.subarray(start));
  if (out.length !== rows) throw new DbError('LOGICAL_ERROR', `Formatting ${rows} rows for Kafka gave ${out.length} lines`);
  return out;
}

/**
 * Rows of an external stream → Kafka messages: each row formatted with the stream's data format; the key from
 * `message_key`, the partition from `sharding_expr` (its value modulo the partition count), the timestamp
 * from `_tp_time`. Without one_message_per_row, consecutive rows bound for one partition share a message
 * (newline-separated) up to message.max.bytes.
 */
export class MessageEncoder {
  constructor(private readonly o: EncoderOptions) {}

  encode(block: Block, partitions: number, fn: FunctionContext): OutgoingMessage[] {
    const rows = block.rows;
    if (!rows) return [];
    const user = new Block(
      this.o.userHeader,
      this.o.userHeader.map((h) => {
        const c = block.column(h.name);
        if (!c) throw new DbError('LOGICAL_ERROR', `Column ${h.name} is missing from the rows written to Kafka`);
        return materialize(c);
      }),
      rows,
    );
    const values = this.formatRows(user);
    const timeCol = block.column('_tp_time');
    const times = timeCol ? (materialize(timeCol) as Column) : undefined;
    const now = Date.now();
    const timestampOf = (r: number): number => {
      if (!times || times.kind !== 'numeric') return now;
      const v = Number(times.data[r]);
      return Number.isFinite(v) && v > 0 ? Math.floor(v) : now;
    };
    const keys = this.o.messageKey ? this.keyColumn(block, fn) : this.keyFromColumn(block);
    const parts = this.o.shardingExpr ? this.partitionsOf(block, partitions, fn) : undefined;
    const out: OutgoingMessage[] = [];
    if (this.o.oneMessagePerRow || keys) {
      for (let r = 0; r < rows; r++) out.push({ value: values[r]!, key: keys?.[r], partition: parts?.[r], timestampMs: timestampOf(r) });
      return out;
    }
    // Packed: consecutive rows of one partition, newline-separated, up to maxMessageBytes.
    let batch: Buffer[] = [];
    let bytes = 0;
    let part: number | undefined;
    let ts = 0;
    const flush = () => {
      if (!batch.length) return;
      const joined: Buffer[] = [];
      for (let i = 0; i < batch.length; i++) {
        if (i) joined.push(NL);
        joined.push(batch[i]!);
      }
      out.push({ value: Buffer.concat(joined), partition: part, timestampMs: ts });
      batch = [];
      bytes = 0;
    };
    for (let r = 0; r < rows; r++) {
      const p = parts?.[r];
      const v = values[r]!;
      if (batch.length && (p !== part || bytes + v.length + 1 > this.o.maxMessageBytes)) flush();
      if (!batch.length) {
        part = p;
        ts = timestampOf(r);
      }
      batch.push(v);
      bytes += v.length + 1;
    }
    flush();
    return out;
  }

  private formatRows(user: Block): Buffer[] {
    if (this.o.dataFormat === 'RawBLOB') {
      const c = user.columns[0]!;
      if (c.kind !== 'string') throw new DbError('LOGICAL_ERROR', 'RawBLOB writes need a string column');
      const out: Buffer[] = [];
      for (let r = 0; r < user.rows; r++) out.push(Buffer.from(c.chars.buffer, c.chars.byteOffset + c.offsets[r]!, c.offsets[r + 1]! - c.offsets[r]!));
      return out;
    }
    const chunks: Uint8Array[] = [];
    const w = getOutputFormat(this.o.dataFormat).createWriter(this.o.userHeader, { timezone: this.o.timezone, settings: OUTPUT_SETTINGS }, (c) => chunks.push(c));
    w.writePrefix();
    w.writeBlock(user);
    w.writeSuffix({ elapsedSeconds: 0, rowsRead: 0, bytesRead: 0 });
    return splitRows(Buffer.concat(chunks), this.o.dataFormat === 'CSV', user.rows);
  }

  /** `_tp_message_key` given by the writer (INSERT … (_tp_message_key, …)): used when non-empty. */
  private keyFromColumn(block: Block): (Buffer | undefined)[] | undefined {
    const c = block.column('_tp_message_key');
    if (!c) return undefined;
    const col = materialize(c);
    if (col.kind !== 'string') return undefined;
    let any = false;
    const keys: (Buffer | undefined)[] = new Array(block.rows);
    for (let r = 0; r < block.rows; r++) {
      const len = col.offsets[r + 1]! - col.offsets[r]!;
      if (len) {
        any = true;
        keys[r] = Buffer.from(col.chars.subarray(col.offsets[r]!, col.offsets[r + 1]!));
      }
    }
    return any ? keys : undefined;
  }

  private keyColumn(block: Block, fn: FunctionContext): Buffer[] {
    const e = this.o.messageKey!;
    const col = materialize(e.eval(block, fn));
    const keys: Buffer[] = new Array(block.rows);
    for (let r = 0; r < block.rows; r++) {
      if (col.kind === 'string') keys[r] = Buffer.from(col.chars.subarray(col.offsets[r]!, col.offsets[r + 1]!));
      else keys[r] = Buffer.from(formatValueText(e.type, col, r, this.o.timezone));
    }
    return keys;
  }

  private partitionsOf(block: Block, partitions: number, fn: FunctionContext): Int32Array {
    const e = this.o.shardingExpr!;
    const col = materialize(e.eval(block, fn));
    const out = new Int32Array(block.rows);
    for (let r = 0; r < block.rows; r++) {
      const v = readValue(e.type, col, r);
      let n: number;
      if (typeof v === 'bigint') n = Number(((v % BigInt(partitions)) + BigInt(partitions)) % BigInt(partitions));
      else if (typeof v === 'number' && Number.isFinite(v)) n = ((Math.trunc(v) % partitions) + partitions) % partitions;
      else if (typeof v === 'boolean') n = (v ? 1 : 0) % partitions;
      else throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `sharding_expr must give an integer, got ${e.type.name}`);
      out[r] = n;
    }
    return out;
  }
}

const NL = Buffer.from('\n');
