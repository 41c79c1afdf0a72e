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

/**
 * Messages to produce, packed: no object per message. Message i's value is `data[bounds[2i], bounds[2i+1])`,
 * its key `keyData[keyBounds[2i], keyBounds[2i+1])` (start -1: no key), its partition `partitions[i]` (-1 or no
 * array: the producer picks), its timestamp `timestamps[i]` (ms).
 */
export interface EncodedBatch {
  readonly count: number;
  readonly data: Uint8Array;
  readonly bounds: Uint32Array;
  readonly keyData?: Uint8Array;
  readonly keyBounds?: Int32Array;
  readonly partitions?: Int32Array;
  readonly timestamps: Float64Array;
}

interface FormattedRows {
  readonly data: Uint8Array;
  readonly bounds: Uint32Array;
}

interface KeyRows {
  readonly data: Uint8Array;
  /** -1, -1: no key. */
  readonly bounds: Int32Array;
}

/** Row bounds of formatted text: split at newlines, outside CSV quotes. */
function splitRows(buf: Buffer, csv: boolean, rows: number): Uint32Array {
  const bounds = new Uint32Array(rows * 2);
  let n = 0;
  let start = 0;
  const push = (end: number) => {
    if (n >= rows) throw new DbError('LOGICAL_ERROR', `Formatting ${rows} rows for Kafka gave more lines`);
    bounds[2 * n] = start;
    bounds[2 * n + 1] = end;
    n++;
  };
  if (csv) {
    let quoted = false;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c === 0x22) quoted = !quoted;
      else if (c === 0x0a && !quoted) {
        push(i);
        start = i + 1;
      }
    }
  } else {
    // JSON and TSV escape newlines inside values: every newline ends a row.
    for (let i = buf.indexOf(0x0a, start); i !== -1; i = buf.indexOf(0x0a, start)) {
      push(i);
      start = i + 1;
    }
  }
  if (start < buf.length) push(buf.length);
  if (n !== rows) throw new DbError('LOGICAL_ERROR', `Formatting ${rows} rows for Kafka gave ${n} lines`);
  return bounds;
}

/** Messages as Buffers (views of the batch's data), one object each. */
export function unpackMessages(b: EncodedBatch): OutgoingMessage[] {
  const data = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  const keys = b.keyData && Buffer.from(b.keyData.buffer, b.keyData.byteOffset, b.keyData.byteLength);
  const out: OutgoingMessage[] = new Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const ks = b.keyBounds ? b.keyBounds[2 * i]! : -1;
    const p = b.partitions ? b.partitions[i]! : -1;
    out[i] = {
      value: data.subarray(b.bounds[2 * i]!, b.bounds[2 * i + 1]!),
      key: keys && ks >= 0 ? keys.subarray(ks, b.keyBounds![2 * i + 1]!) : undefined,
      partition: p >= 0 ? p : undefined,
      timestampMs: b.timestamps[i]!,
    };
  }
  return out;
}

/**
 * Formatted text rows packed into messages without copying: the rows are newline-separated in the text, so a
 * message of consecutive rows is one range of it.
 */
function packRanges(values: FormattedRows, parts: Int32Array | undefined, timestamps: Float64Array, maxBytes: number): EncodedBatch {
  const rb = values.bounds;
  const rows = rb.length / 2;
  const bounds: number[] = [];
  const outParts: number[] = [];
  const outTimes: number[] = [];
  let first = -1;
  let part = -1;
  let bytes = 0;
  const flush = (last: number) => {
    bounds.push(rb[2 * first]!, rb[2 * last + 1]!);
    outParts.push(part);
    outTimes.push(timestamps[first]!);
    first = -1;
  };
  for (let r = 0; r < rows; r++) {
    const p = parts ? parts[r]! : -1;
    const len = rb[2 * r + 1]! - rb[2 * r]!;
    if (first >= 0 && (p !== part || bytes + len + 1 > maxBytes)) flush(r - 1);
    if (first < 0) {
      first = r;
      part = p;
      bytes = 0;
    }
    bytes += len + 1;
  }
  if (first >= 0) flush(rows - 1);
  return {
    count: outTimes.length,
    data: values.data,
    bounds: Uint32Array.from(bounds),
    partitions: parts ? Int32Array.from(outParts) : undefined,
    timestamps: Float64Array.from(outTimes),
  };
}

/** Messages given one by one, packed. */
function packMessages(msgs: readonly OutgoingMessage[]): EncodedBatch {
  const bounds = new Uint32Array(msgs.length * 2);
  const timestamps = new Float64Array(msgs.length);
  let partitions: Int32Array | undefined;
  let at = 0;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    bounds[2 * i] = at;
    at += m.value.length;
    bounds[2 * i + 1] = at;
    timestamps[i] = m.timestampMs;
    if (m.partition !== undefined) (partitions ??= new Int32Array(msgs.length).fill(-1))[i] = m.partition;
  }
  return { count: msgs.length, data: Buffer.concat(msgs.map((m) => m.value)), bounds, partitions, timestamps };
}

/**
 * Rows of an external stream → Kafka messages: each row formatted with the stream's data format; the key from
 * `message_key`, the partition from `sharding_expr` (its value modulo the partition count), the timestamp
 * from `_tp_time`. Without one_message_per_row, consecutive rows bound for one partition share a message
 * (newline-separated) up to message.max.bytes.
 */
export class MessageEncoder {
  constructor(private readonly o: EncoderOptions) {}

  /** The messages one object each (tests, small writes). */
  encode(block: Block, partitions: number, fn: FunctionContext): OutgoingMessage[] {
    return block.rows ? unpackMessages(this.encodeBatch(block, partitions, fn)) : [];
  }

  /** The messages packed: one buffer of values and typed arrays, no object per row. */
  encodeBatch(block: Block, partitions: number, fn: FunctionContext): EncodedBatch {
    const rows = block.rows;
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
    const timestamps = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let ts = now;
      if (times && times.kind === 'numeric') {
        const v = Number(times.data[r]);
        if (Number.isFinite(v) && v > 0) ts = Math.floor(v);
      }
      timestamps[r] = ts;
    }
    const keys = this.o.messageKey ? this.keyColumn(block, fn) : this.keyFromColumn(block);
    const parts = this.o.shardingExpr ? this.partitionsOf(block, partitions, fn) : undefined;
    if (this.o.oneMessagePerRow || keys) {
      return { count: rows, data: values.data, bounds: values.bounds, keyData: keys?.data, keyBounds: keys?.bounds, partitions: parts, timestamps };
    }
    // Packed: consecutive rows of one partition, newline-separated, up to maxMessageBytes.
    if (this.o.dataFormat !== 'RawBLOB') return packRanges(values, parts, timestamps, this.o.maxMessageBytes);
    const data = Buffer.from(values.data.buffer, values.data.byteOffset, values.data.byteLength);
    const out: OutgoingMessage[] = [];
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
      const v = data.subarray(values.bounds[2 * r]!, values.bounds[2 * r + 1]!);
      if (batch.length && (p !== part || bytes + v.length + 1 > this.o.maxMessageBytes)) flush();
      if (!batch.length) {
        part = p;
        ts = timestamps[r]!;
      }
      batch.push(v);
      bytes += v.length + 1;
    }
    flush();
    return packMessages(out);
  }

  private formatRows(user: Block): FormattedRows {
    if (this.o.dataFormat === 'RawBLOB') {
      const c = user.columns[0]!;
      if (c.kind !== 'string') throw new DbError('LOGICAL_ERROR', 'RawBLOB writes need a string column');
      const bounds = new Uint32Array(user.rows * 2);
      for (let r = 0; r < user.rows; r++) {
        bounds[2 * r] = c.offsets[r]!;
        bounds[2 * r + 1] = c.offsets[r + 1]!;
      }
      return { data: c.chars, bounds };
    }
    const chunks: Uint8Array[] = [];
    const w = getOutputFormat(this.o.dataFormat).createWriter(this.o.userHeader, { timezone: this.o.timezone, settings: OUTPUT_SETTINGS }, (c) => chunks.push(c));
    w.writePrefix();
    w.writeBlock(user);
    w.writeSuffix({ elapsedSeconds: 0, rowsRead: 0, bytesRead: 0 });
    const data = Buffer.concat(chunks);
    return { data, bounds: splitRows(data, this.o.dataFormat === 'CSV', user.rows) };
  }

  /** `_tp_message_key` given by the writer (INSERT … (_tp_message_key, …)): used when non-empty. */
  private keyFromColumn(block: Block): KeyRows | undefined {
    const c = block.column('_tp_message_key');
    if (!c) return undefined;
    const col = materialize(c);
    if (col.kind !== 'string') return undefined;
    let any = false;
    const bounds = new Int32Array(block.rows * 2);
    for (let r = 0; r < block.rows; r++) {
      const from = col.offsets[r]!;
      const to = col.offsets[r + 1]!;
      if (to > from) {
        any = true;
        bounds[2 * r] = from;
        bounds[2 * r + 1] = to;
      } else bounds[2 * r] = bounds[2 * r + 1] = -1;
    }
    return any ? { data: col.chars, bounds } : undefined;
  }

  private keyColumn(block: Block, fn: FunctionContext): KeyRows {
    const e = this.o.messageKey!;
    const col = materialize(e.eval(block, fn));
    const bounds = new Int32Array(block.rows * 2);
    if (col.kind === 'string') {
      for (let r = 0; r < block.rows; r++) {
        bounds[2 * r] = col.offsets[r]!;
        bounds[2 * r + 1] = col.offsets[r + 1]!;
      }
      return { data: col.chars, bounds };
    }
    const texts: Buffer[] = new Array(block.rows);
    let at = 0;
    for (let r = 0; r < block.rows; r++) {
      texts[r] = Buffer.from(formatValueText(e.type, col, r, this.o.timezone));
      bounds[2 * r] = at;
      at += texts[r]!.length;
      bounds[2 * r + 1] = at;
    }
    return { data: Buffer.concat(texts), bounds };
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
