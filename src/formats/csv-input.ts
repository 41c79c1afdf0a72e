import type { Header } from '../core/block.js';
import type { DataType, TupleType } from '../types/data-type.js';
import { DbError } from '../errors/index.js';
import { NeedMoreData } from '../types/serializations/buffer.js';
import type { FormatOptions, InputFormat } from './format.js';
import { settingBool, settingChar } from './settings.js';
import { SeparatedInputReader, type SeparatedInputOptions } from './text/separated-input.js';
import { contextAt } from './text/field-sink.js';

/**
 * CSV input: fields split by format_csv_delimiter, optionally in double quotes (`""` inside), unquoted
 * strings accepted, `\N` for NULL, empty unquoted fields as defaults (input_format_csv_empty_as_default).
 */
interface CsvOptions extends SeparatedInputOptions {
  readonly delimiter: number;
  readonly emptyAsDefault: boolean;
  readonly singleQuotes: boolean;
}

class CsvReader extends SeparatedInputReader {
  private scratch = new Uint8Array(256);
  /** Field bounds from `field`: the value is buf[fs..fe) unless `unquoted` holds a copy. */
  private fs = 0;
  private fe = 0;
  private quoted = false;
  private copied = false;
  private copyLen = 0;

  constructor(
    header: Header,
    blockRows: number,
    private readonly c: CsvOptions,
  ) {
    super(header, blockRows, c);
  }

  /** Parses one field starting at `p`; returns the position of the byte after it (delimiter / newline / end). */
  private field(buf: Uint8Array, p: number, end: number, final: boolean): number {
    const delim = this.c.delimiter;
    while (p < end && (buf[p] === 0x20 || buf[p] === 0x09) && buf[p] !== delim) p++;
    this.copied = false;
    const q = p < end ? buf[p]! : 0;
    if (q === 0x22 || (q === 0x27 && this.c.singleQuotes)) {
      this.quoted = true;
      let i = p + 1;
      let doubled = false;
      for (;;) {
        const j = buf.indexOf(q, i);
        if (j < 0 || j >= end) {
          if (!final) throw new NeedMoreData(end + 1);
          throw new DbError('CANNOT_PARSE_QUOTED_STRING', `Cannot parse quoted string: expected closing quote before: '${contextAt(buf, p, end)}'`);
        }
        if (j + 1 < end && buf[j + 1] === q) {
          doubled = true;
          i = j + 2;
          continue;
        }
        if (j + 1 >= end && !final) throw new NeedMoreData(end + 1);
        this.fs = p + 1;
        this.fe = j;
        p = j + 1;
        break;
      }
      if (doubled) this.undouble(buf, this.fs, this.fe, q);
      while (p < end && (buf[p] === 0x20 || buf[p] === 0x09) && buf[p] !== delim) p++;
      return p;
    }
    this.quoted = false;
    const s = p;
    while (p < end) {
      const c = buf[p]!;
      if (c === delim || c === 10 || c === 13) break;
      p++;
    }
    if (p >= end && !final) throw new NeedMoreData(end + 1);
    let e = p;
    while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09) && buf[e - 1] !== delim) e--;
    this.fs = s;
    this.fe = e;
    return p;
  }

  private undouble(buf: Uint8Array, s: number, e: number, q: number): void {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array((e - s) * 2);
    let n = 0;
    for (let i = s; i < e; i++) {
      this.scratch[n++] = buf[i]!;
      if (buf[i] === q) i++;
    }
    this.copied = true;
    this.copyLen = n;
  }

  /** After a field: the delimiter (returns position after it) or end of line; `last` says which is expected. */
  private after(buf: Uint8Array, p: number, end: number, last: boolean): number {
    const c = p < end ? buf[p]! : 10;
    if (!last) {
      if (c !== this.c.delimiter) throw this.tooFewFields(buf, p, end, String.fromCharCode(this.c.delimiter));
      return p + 1;
    }
    if (c === 13 && p + 1 < end && buf[p + 1] === 10) return p + 2;
    if (c === 13 && p + 1 >= end) return p + 1;
    if (c !== 10) throw this.tooManyFields(buf, p, end);
    return Math.min(p + 1, end);
  }

  protected readHeaderLine(buf: Uint8Array, pos: number, end: number, final: boolean, out: string[]): number {
    let p = pos;
    for (;;) {
      p = this.field(buf, p, end, final);
      out.push(this.copied ? this.text(this.scratch, 0, this.copyLen) : this.text(buf, this.fs, this.fe));
      const c = p < end ? buf[p]! : 10;
      if (c === this.c.delimiter) p++;
      else return this.after(buf, p, end, true);
    }
  }

  protected readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    // Blank lines between rows carry nothing when the table has several columns.
    if ((buf[pos] === 10 || buf[pos] === 13) && this.header.length > 1) return pos + 1;
    const sinks = this.bind();
    const n = sinks.length;
    let p = pos;
    for (let k = 0; k < n; k++) {
      const sink = sinks[k];
      const tuple = sink ? tupleOf(sink.type) : undefined;
      if (tuple && sink) {
        // ClickHouse writes a tuple as one CSV field per element.
        const parts: string[] = [];
        for (let j = 0; j < tuple.elements.length; j++) {
          if (j) p = this.after(buf, p, end, false);
          p = this.field(buf, p, end, final);
          const text = this.copied ? this.text(this.scratch, 0, this.copyLen) : this.text(buf, this.fs, this.fe);
          parts.push(literal(tuple.elements[j]!, text, this.quoted));
        }
        const lit = encoder.encode(`(${parts.join(',')})`);
        sink.value(lit, 0, lit.length);
        p = this.after(buf, p, end, k + 1 === n);
        continue;
      }
      p = this.field(buf, p, end, final);
      if (sink) {
        if (this.copied) sink.value(this.scratch, 0, this.copyLen);
        else if (this.quoted) sink.value(buf, this.fs, this.fe);
        else if (this.fe === this.fs) {
          if (this.c.emptyAsDefault || sink.isString) sink.missing();
          else sink.value(buf, this.fs, this.fe);
        } else if (this.fe - this.fs === 2 && buf[this.fs] === 92 && buf[this.fs + 1] === 78) sink.null();
        else sink.value(buf, this.fs, this.fe);
      }
      p = this.after(buf, p, end, k + 1 === n);
    }
    this.finishRow();
    return p;
  }
}

const encoder = new TextEncoder();

function tupleOf(t: DataType): TupleType | undefined {
  while (t.kind === 'LowCardinality') t = t.inner;
  return t.kind === 'Tuple' ? t : undefined;
}

/** One tuple element's CSV text as a SQL literal inside `(…)`. */
function literal(t: DataType, text: string, quoted: boolean): string {
  while (t.kind === 'LowCardinality') t = t.inner;
  if (!quoted && text === '\\N') return 'NULL';
  const base = t.kind === 'Nullable' ? t.inner : t;
  if (['Array', 'Map', 'Tuple'].includes(base.kind)) return text;
  if (!quoted && /^[-+]?[0-9.eE+infa]+$/.test(text) && !['String', 'FixedString', 'Enum8', 'Enum16'].includes(base.kind)) return text;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function csvInput(name: string, withNames: boolean, withTypes: boolean): InputFormat {
  return {
    name,
    createReader: (header, options: FormatOptions & { blockRows: number }) =>
      new CsvReader(header, options.blockRows, {
        tz: options.timezone,
        nullAsDefault: settingBool(options, 'input_format_null_as_default', true),
        skipUnknown: settingBool(options, 'input_format_skip_unknown_fields', false),
        withNames,
        withTypes,
        formatName: name,
        delimiter: settingChar(options, 'format_csv_delimiter', ','),
        emptyAsDefault: settingBool(options, 'input_format_csv_empty_as_default', true),
        singleQuotes: settingBool(options, 'format_csv_allow_single_quotes', false),
      }),
  };
}

export const csvInputs: InputFormat[] = [csvInput('CSV', false, false), csvInput('CSVWithNames', true, false), csvInput('CSVWithNamesAndTypes', true, true)];
