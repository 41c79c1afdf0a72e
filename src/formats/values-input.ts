import type { Header } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import type { Value } from '../columns/values.js';
import { DbError } from '../errors/index.js';
import type { ArrayBuilder, ColumnBuilder, NullableBuilder, TupleBuilder } from '../columns/builder.js';
import { NeedMoreData } from '../types/serializations/buffer.js';
import type { FormatOptions, InputFormat } from './format.js';
import { RowInputReader } from './row-input.js';
import { settingBool } from './settings.js';
import { truncateBuilder } from './block-accumulator.js';
import { bindPlainParser, bytesToText, type PlainParser } from './text/plain-parser.js';
import { contextAt } from './text/field-sink.js';

/**
 * Values input (`INSERT … VALUES (1, 'a', [1,2]), (…)`): SQL literals parsed straight into builders —
 * numbers, quoted strings with escapes, NULL, true / false, arrays, tuples, maps. Anything else (`now()`,
 * `1 + 1`, `toDate('…')`) is handed whole to `evaluateExpression` when the caller provides it
 * (input_format_values_interpret_expressions), else it is a parse error.
 */
export interface ValuesReaderOptions {
  /** Evaluates a constant SQL expression to a value of `type` (the engine's constant folder). */
  readonly evaluateExpression?: (text: string, type: DataType) => Value;
}

type LiteralParser = (v: ValuesCursor) => void;

class ValuesCursor {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  final = false;
  scratch = new Uint8Array(256);
  len = 0;

  eof(): never {
    if (!this.final) throw new NeedMoreData(this.end + 1);
    throw new DbError('CANNOT_READ_ALL_DATA', 'Unexpected end of data while parsing Values');
  }

  /** Skips whitespace and comments; returns the next byte (needs one). */
  peek(): number {
    const b = this.buf;
    while (this.pos < this.end) {
      const c = b[this.pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return c;
    }
    return this.eof();
  }

  error(what: string): DbError {
    return new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `Cannot parse input: ${what} before: '${contextAt(this.buf, this.pos, this.end)}'`);
  }

  /** A quoted string at pos ('…' with backslash escapes and '' doubling) into scratch. */
  quoted(): void {
    const b = this.buf;
    const q = b[this.pos]!;
    let p = this.pos + 1;
    let n = 0;
    for (;;) {
      if (p >= this.end) this.eof();
      if (n + 4 > this.scratch.length) {
        const next = new Uint8Array(this.scratch.length * 2);
        next.set(this.scratch.subarray(0, n));
        this.scratch = next;
      }
      const c = b[p++]!;
      if (c === q) {
        if (p < this.end && b[p] === q) {
          this.scratch[n++] = q;
          p++;
          continue;
        }
        if (p >= this.end && !this.final) this.eof();
        break;
      }
      if (c === 0x5c) {
        if (p >= this.end) this.eof();
        const e = b[p++]!;
        this.scratch[n++] = e === 0x6e ? 10 : e === 0x74 ? 9 : e === 0x72 ? 13 : e === 0x30 ? 0 : e === 0x62 ? 8 : e === 0x66 ? 12 : e === 0x61 ? 7 : e === 0x76 ? 11 : e;
        continue;
      }
      this.scratch[n++] = c;
    }
    this.len = n;
    this.pos = p;
  }

  /** A bare token (number, identifier): advances past [A-Za-z0-9_.+-] runs; returns its start. */
  token(): number {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    while (p < this.end) {
      const c = b[p]!;
      const word = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e;
      const sign = (c === 0x2d || c === 0x2b) && (p === start || b[p - 1] === 0x65 || b[p - 1] === 0x45);
      if (!word && !sign) break;
      p++;
    }
    if (p >= this.end && !this.final) this.eof();
    this.pos = p;
    return start;
  }

  /** Extent of an expression from `start`: up to ',' or ')' at depth 0, outside quotes. */
  expressionEnd(start: number): number {
    const b = this.buf;
    let depth = 0;
    let p = start;
    while (p < this.end) {
      const c = b[p]!;
      if (c === 0x27 || c === 0x22 || c === 0x60) {
        p++;
        while (p < this.end && b[p] !== c) p += b[p] === 0x5c ? 2 : 1;
        p++;
        continue;
      }
      if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
      else if (c === 0x29 || c === 0x5d || c === 0x7d) {
        if (depth === 0) return p;
        depth--;
      } else if (c === 0x2c && depth === 0) return p;
      p++;
    }
    return this.eof();
  }
}

const isWordNull = (b: Uint8Array, s: number, e: number) =>
  e - s === 4 && (b[s]! | 0x20) === 0x6e && (b[s + 1]! | 0x20) === 0x75 && (b[s + 2]! | 0x20) === 0x6c && (b[s + 3]! | 0x20) === 0x6c;

function bindLiteral(type: DataType, builder: ColumnBuilder, tz: string, nullAsDefault: boolean): LiteralParser {
  switch (type.kind) {
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return bindLiteral(type.inner, builder, tz, nullAsDefault);
    case 'Nullable': {
      const b = builder as NullableBuilder;
      const inner = bindLiteral(type.inner, b.inner, tz, nullAsDefault);
      return (v) => {
        const c = v.peek();
        if (c === 0x4e || c === 0x6e) {
          const save = v.pos;
          const s = v.token();
          if (isWordNull(v.buf, s, v.pos)) return b.pushNull();
          v.pos = save;
        }
        b.markNotNull();
        inner(v);
      };
    }
    case 'Array':
    case 'Map':
    case 'Tuple': {
      const open = type.kind === 'Array' ? 0x5b : type.kind === 'Map' ? 0x7b : 0x28;
      const close = type.kind === 'Array' ? 0x5d : type.kind === 'Map' ? 0x7d : 0x29;
      let item: (v: ValuesCursor, i: number) => void;
      let finish: () => void;
      if (type.kind === 'Array') {
        const b = builder as ArrayBuilder;
        const el = bindLiteral(type.element, b.inner, tz, nullAsDefault);
        item = (v) => el(v);
        finish = () => b.endRow();
      } else if (type.kind === 'Map') {
        const b = builder as ArrayBuilder;
        const t = b.inner as TupleBuilder;
        const k = bindLiteral(type.key, t.elements[0]!, tz, nullAsDefault);
        const val = bindLiteral(type.value, t.elements[1]!, tz, nullAsDefault);
        item = (v) => {
          k(v);
          if (v.peek() !== 0x3a) throw v.error("expected ':'");
          v.pos++;
          val(v);
          t.endRow();
        };
        finish = () => b.endRow();
      } else {
        const b = builder as TupleBuilder;
        const els = type.elements.map((e, i) => bindLiteral(e, b.elements[i]!, tz, nullAsDefault));
        item = (v, i) => {
          if (i >= els.length) throw v.error('too many tuple elements');
          els[i]!(v);
        };
        finish = () => b.endRow();
      }
      return (v) => {
        if (v.peek() !== open) throw v.error(`expected '${String.fromCharCode(open)}'`);
        v.pos++;
        let i = 0;
        if (v.peek() === close) v.pos++;
        else {
          for (;;) {
            item(v, i++);
            const d = v.peek();
            v.pos++;
            if (d === close) break;
            if (d !== 0x2c) throw v.error(`expected ',' or '${String.fromCharCode(close)}'`);
          }
        }
        finish();
      };
    }
    default: {
      const plain: PlainParser = bindPlainParser(type, builder, { tz });
      const isBool = type.kind === 'Bool';
      return (v) => {
        const c = v.peek();
        if (c === 0x27) {
          v.quoted();
          plain(v.scratch, 0, v.len);
          return;
        }
        const s = v.token();
        const e = v.pos;
        if (e === s) throw v.error(`expected a value of type ${type.name}`);
        if (isWordNull(v.buf, s, e)) {
          if (!nullAsDefault) throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot insert NULL value into a column of type '${type.name}'`);
          builder.pushDefault();
          return;
        }
        if (isBool || (v.buf[s]! | 0x20) === 0x74 || (v.buf[s]! | 0x20) === 0x66) {
          const t = bytesToText(v.buf, s, e).toLowerCase();
          if (t === 'true' || t === 'false') {
            if (type.kind === 'String' || type.kind === 'FixedString') throw v.error(`expected a string for ${type.name}`);
            builder.push(isBool ? t === 'true' : t === 'true' ? 1 : 0);
            return;
          }
        }
        plain(v.buf, s, e);
      };
    }
  }
}

class ValuesReader extends RowInputReader {
  private readonly v = new ValuesCursor();
  private literals: LiteralParser[] = [];
  private boundTo: unknown;
  private ended = false;

  constructor(
    private readonly header: Header,
    blockRows: number,
    private readonly tz: string,
    private readonly nullAsDefault: boolean,
    private readonly evaluate?: (text: string, type: DataType) => Value,
  ) {
    super(header, blockRows);
  }

  protected readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const v = this.v;
    v.buf = buf;
    v.pos = pos;
    v.end = end;
    v.final = final;
    if (this.ended) return end;
    // Whitespace and commas between rows carry nothing; a ';' ends the data, and what follows it is ignored
    // (clickhouse-client --multiquery sends the rest of the line after inline VALUES).
    while (v.pos < end) {
      const c = buf[v.pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c) v.pos++;
      else if (c === 0x3b) {
        this.ended = true;
        return end;
      } else break;
    }
    if (v.pos >= end) return end;
    if (this.boundTo !== this.acc.builders) {
      this.literals = this.header.map((c, k) => bindLiteral(c.type, this.acc.builders[k]!, this.tz, this.nullAsDefault));
      this.boundTo = this.acc.builders;
    }
    if (buf[v.pos] !== 0x28) throw v.error("expected '('");
    v.pos++;
    const n = this.header.length;
    for (let k = 0; k < n; k++) {
      if (k) {
        if (v.peek() !== 0x2c) throw v.error("expected ','");
        v.pos++;
      }
      this.value(k);
    }
    if (v.peek() !== 0x29) throw v.error("expected ')'");
    v.pos++;
    this.acc.rows++;
    return v.pos;
  }

  /** A literal, or failing that an expression for the engine to evaluate. */
  private value(k: number): void {
    const v = this.v;
    v.peek();
    const start = v.pos;
    try {
      this.literals[k]!(v);
      const d = v.peek();
      if (d === 0x2c || d === 0x29) return;
    } catch (e) {
      if (e instanceof NeedMoreData || !this.evaluate) throw e;
    }
    if (!this.evaluate) throw v.error(`cannot parse a literal of type ${this.header[k]!.type.name}`);
    truncateBuilder(this.acc.builders[k]!, this.acc.rows);
    const end = v.expressionEnd(start);
    const text = bytesToText(v.buf, start, end);
    this.acc.builders[k]!.push(this.evaluate(text, this.header[k]!.type));
    v.pos = end;
  }
}

export const valuesInput: InputFormat = {
  name: 'Values',
  createReader: (header, options: FormatOptions & { blockRows: number } & ValuesReaderOptions) =>
    new ValuesReader(
      header,
      options.blockRows,
      options.timezone,
      settingBool(options, 'input_format_null_as_default', true),
      settingBool(options, 'input_format_values_interpret_expressions', true) ? options.evaluateExpression : undefined,
    ),
};
