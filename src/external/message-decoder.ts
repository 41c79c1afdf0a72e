import { Block, concatBlocks, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { NumericColumn } from '../columns/column.js';
import { StringBuilder } from '../columns/builder.js';
import { getInputFormat } from '../formats/registry.js';
import type { InputFormat } from '../formats/format.js';
import { toDbError } from '../errors/index.js';
import type { KafkaDataFormat } from './kafka-settings.js';
import { VIRTUAL } from './external-columns.js';

/** One Kafka record as the reader hands it over. */
export interface RawMessage {
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch (CreateTime or LogAppendTime, as the topic stores it). */
  readonly timestampMs: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export type BadMessageHandler = (reason: string, m: RawMessage) => void;

const NEWLINE = Buffer.from('\n');
/** Settings the text formats parse Kafka messages with: unknown JSON fields are ignored (producers add fields). */
const INPUT_SETTINGS = new Map([
  ['input_format_skip_unknown_fields', '1'],
  ['input_format_null_as_default', '1'],
]);

function trimNewline(v: Buffer): Buffer {
  let end = v.length;
  while (end > 0 && (v[end - 1] === 0x0a || v[end - 1] === 0x0d)) end--;
  return end === v.length ? v : v.subarray(0, end);
}

/**
 * Messages → rows of the external stream. Each message is parsed with the stream's data format (a message may
 * carry several rows); the virtual columns come from the record: `_tp_time` (its timestamp), `_tp_sn` (its
 * offset), `_tp_shard` (its partition), `_tp_message_key`. A message that does not parse is reported to
 * `onBad` and skipped; the others are kept.
 */
export class MessageDecoder {
  private readonly format: InputFormat | undefined;

  constructor(
    private readonly userHeader: Header,
    private readonly dataFormat: KafkaDataFormat,
    private readonly timezone: string,
    private readonly onBad: BadMessageHandler,
  ) {
    this.format = dataFormat === 'RawBLOB' ? undefined : getInputFormat(dataFormat);
  }

  /** Decodes `msgs` into a block of `columns` (names of the storage header, in that order). */
  decode(msgs: readonly RawMessage[], header: Header): Block {
    const needsUser = header.some((c) => !(c.name in VIRTUAL));
    let user: Block | undefined;
    // Row i of the result comes from message rowMessage[i] (undefined: one row per message, in order).
    let rowMessage: Uint32Array | undefined;
    if (needsUser) {
      const parsed = this.dataFormat === 'RawBLOB' ? this.raw(msgs) : this.parse(msgs);
      user = parsed.block;
      rowMessage = parsed.rowMessage;
    }
    const rows = user ? user.rows : msgs.length;
    const cols: Column[] = header.map((c) => {
      switch (c.name) {
        case '_tp_time': {
          const a = new Float64Array(rows);
          for (let i = 0; i < rows; i++) a[i] = msgs[rowMessage ? rowMessage[i]! : i]!.timestampMs;
          return new NumericColumn(a);
        }
        case '_tp_sn': {
          const a = new BigInt64Array(rows);
          for (let i = 0; i < rows; i++) a[i] = BigInt(msgs[rowMessage ? rowMessage[i]! : i]!.offset);
          return new NumericColumn(a);
        }
        case '_tp_shard': {
          const a = new Int32Array(rows);
          for (let i = 0; i < rows; i++) a[i] = msgs[rowMessage ? rowMessage[i]! : i]!.partition;
          return new NumericColumn(a);
        }
        case '_tp_message_key': {
          const b = new StringBuilder(rows);
          for (let i = 0; i < rows; i++) {
            const k = msgs[rowMessage ? rowMessage[i]! : i]!.key;
            if (k) b.pushBytes(k);
            else b.pushDefault();
          }
          return b.build();
        }
        default: {
          const j = user!.header.findIndex((h) => h.name === c.name);
          return user!.columns[j]!;
        }
      }
    });
    return new Block(header, cols, rows);
  }

  /** RawBLOB: the message bytes are the one string column. */
  private raw(msgs: readonly RawMessage[]): { block: Block; rowMessage?: Uint32Array } {
    const b = new StringBuilder(msgs.length);
    for (const m of msgs) {
      if (m.value) b.pushBytes(m.value);
      else b.pushDefault();
    }
    return { block: new Block(this.userHeader, [b.build()], msgs.length) };
  }

  private newReader() {
    return this.format!.createReader(this.userHeader, { timezone: this.timezone, settings: INPUT_SETTINGS, blockRows: 1 << 20 });
  }

  /**
   * Fast path: all messages joined by newlines parsed at once; kept when that gives exactly one row per message.
   * Otherwise (several rows in a message, an empty or a bad message) every message is parsed on its own.
   */
  private parse(msgs: readonly RawMessage[]): { block: Block; rowMessage?: Uint32Array } {
    let allPresent = true;
    const parts: Buffer[] = [];
    for (const m of msgs) {
      if (!m.value || !m.value.length) {
        allPresent = false;
        break;
      }
      parts.push(trimNewline(m.value), NEWLINE);
    }
    if (allPresent && msgs.length) {
      try {
        const reader = this.newReader();
        const blocks = [...reader.push(Buffer.concat(parts))];
        const tail = reader.end();
        if (Array.isArray(tail)) {
          blocks.push(...tail);
          const block = concatBlocks(this.userHeader, blocks);
          if (block.rows === msgs.length) return { block };
        }
      } catch {
        /* some message is bad: find it below */
      }
    }
    return this.parseEach(msgs);
  }

  private parseEach(msgs: readonly RawMessage[]): { block: Block; rowMessage: Uint32Array } {
    const blocks: Block[] = [];
    const owners: number[] = [];
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i]!;
      if (!m.value || !trimNewline(m.value).length) {
        this.onBad('empty message', m);
        continue;
      }
      try {
        const reader = this.newReader();
        const got = [...reader.push(trimNewline(m.value))];
        const tail = reader.end();
        if (!Array.isArray(tail)) throw new Error('format cannot parse a message on its own');
        got.push(...tail);
        let n = 0;
        for (const b of got) n += b.rows;
        if (!n) {
          this.onBad('no row in message', m);
          continue;
        }
        for (const b of got) blocks.push(b);
        for (let r = 0; r < n; r++) owners.push(i);
      } catch (e) {
        this.onBad(toDbError(e).message, m);
      }
    }
    return { block: concatBlocks(this.userHeader, blocks), rowMessage: Uint32Array.from(owners) };
  }
}
