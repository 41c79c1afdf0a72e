import type { Header } from '../core/block.js';
import { DbError } from '../errors/index.js';
import type { FormatOptions, InputFormat } from './format.js';
import { RowInputReader } from './row-input.js';
import { settingBool } from './settings.js';
import { JsonCursor } from './text/json-cursor.js';
import { bindJsonParser, type JsonValueParser } from './text/json-value-parser.js';
import { mapInputNames } from './text/field-sink.js';
import { bytesToText } from './text/plain-parser.js';

/**
 * JSON row inputs. JSONEachRow: objects (optionally inside one top-level array, separated by commas or
 * whitespace), keys matched to columns by name, absent columns get defaults, unknown keys are an error unless
 * input_format_skip_unknown_fields. JSONCompactEachRow: arrays by position, with optional names / types rows.
 */
interface JsonInputOptions {
  readonly tz: string;
  readonly nullAsDefault: boolean;
  readonly skipUnknown: boolean;
  readonly strings: boolean;
  readonly compact: boolean;
  readonly withNames: boolean;
  readonly withTypes: boolean;
  readonly objectEachRow: boolean;
  readonly name: string;
}

const encoder = new TextEncoder();

class JsonRowReader extends RowInputReader {
  private readonly c = new JsonCursor();
  private parsers: JsonValueParser[] = [];
  private boundTo: unknown;
  private readonly names: Uint8Array[];
  /** Compact formats: target column of each position (-1 = skip). */
  private order: number[];
  private seen: Uint8Array;
  private inArray = false;

  constructor(
    private readonly header: Header,
    blockRows: number,
    private readonly o: JsonInputOptions,
  ) {
    super(header, blockRows);
    this.names = header.map((h) => encoder.encode(h.name));
    this.order = header.map((_, k) => k);
    this.seen = new Uint8Array(header.length);
  }

  private bind(): JsonValueParser[] {
    if (this.boundTo !== this.acc.builders) {
      const po = { tz: this.o.tz, nullAsDefault: this.o.nullAsDefault, strings: this.o.strings };
      this.parsers = this.header.map((c, k) => bindJsonParser(c.type, this.acc.builders[k]!, po));
      this.boundTo = this.acc.builders;
    }
    return this.parsers;
  }

  /** Column index for the key in c.scratch, trying `hint` first (keys usually come in column order). */
  private column(hint: number): number {
    const c = this.c;
    const n = this.names.length;
    for (let t = 0; t < n; t++) {
      const k = (hint + t) % n;
      const name = this.names[k]!;
      if (name.length !== c.len) continue;
      let same = true;
      for (let i = 0; i < c.len; i++) {
        if (name[i] !== c.scratch[i]) {
          same = false;
          break;
        }
      }
      if (same) return k;
    }
    return -1;
  }

  private stringArray(): string[] {
    const c = this.c;
    const out: string[] = [];
    c.expect(0x5b);
    if (c.peek() === 0x5d) {
      c.pos++;
      return out;
    }
    for (;;) {
      if (!c.string()) throw c.error('expected a string');
      out.push(bytesToText(c.scratch, 0, c.len));
      const d = c.peek();
      c.pos++;
      if (d === 0x5d) return out;
      if (d !== 0x2c) throw c.error("expected ',' or ']'");
    }
  }

  protected override readHeader(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const c = this.c;
    c.reset(buf, pos, end, final);
    if (this.o.objectEachRow) {
      if (c.peekOrEnd() === 0x7b) c.pos++;
      return c.pos;
    }
    if (!this.o.compact) {
      if (c.peekOrEnd() === 0x5b) {
        this.inArray = true;
        c.pos++;
      }
      return c.pos;
    }
    if (this.o.withNames) {
      const names = this.stringArray();
      this.order = mapInputNames(names, this.header, this.o.skipUnknown, this.o.name);
    }
    if (this.o.withTypes) this.stringArray();
    return c.pos;
  }

  protected readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const c = this.c;
    c.reset(buf, pos, end, final);
    const first = c.peekOrEnd();
    if (first < 0) return end;
    if (first === 0x2c || (first === 0x5d && this.inArray) || (first === 0x7d && this.o.objectEachRow)) {
      c.pos++;
      return c.pos; // separators between rows, the closing bracket
    }
    const parsers = this.bind();
    if (this.o.compact) this.compactRow(parsers);
    else {
      if (this.o.objectEachRow) {
        if (!c.string()) throw c.error('expected a row name');
        c.expect(0x3a);
      }
      this.objectRow(parsers);
    }
    this.acc.rows++;
    return c.pos;
  }

  private objectRow(parsers: JsonValueParser[]): void {
    const c = this.c;
    const seen = this.seen;
    seen.fill(0);
    c.expect(0x7b);
    let hint = 0;
    if (c.peek() === 0x7d) c.pos++;
    else {
      for (;;) {
        if (!c.string()) throw c.error('expected a key string');
        const k = this.column(hint);
        c.expect(0x3a);
        if (k < 0) {
          if (!this.o.skipUnknown) {
            throw new DbError('INCORRECT_DATA', `Unknown field found while parsing JSONEachRow format: ${bytesToText(c.scratch, 0, c.len)}`);
          }
          c.skipValue();
        } else {
          if (seen[k]) throw new DbError('INCORRECT_DATA', `Duplicate field found while parsing JSONEachRow format: ${this.header[k]!.name}`);
          seen[k] = 1;
          parsers[k]!(c);
          hint = k + 1;
        }
        const d = c.peek();
        c.pos++;
        if (d === 0x7d) break;
        if (d !== 0x2c) throw c.error("expected ',' or '}'");
      }
    }
    for (let k = 0; k < seen.length; k++) if (!seen[k]) this.acc.builders[k]!.pushDefault();
  }

  private compactRow(parsers: JsonValueParser[]): void {
    const c = this.c;
    const order = this.order;
    c.expect(0x5b);
    for (let i = 0; i < order.length; i++) {
      if (i) c.expect(0x2c);
      const k = order[i]!;
      if (k < 0) c.skipValue();
      else parsers[k]!(c);
    }
    c.expect(0x5d);
    if (order.length !== this.header.length) {
      const present = new Set(order);
      this.header.forEach((_, k) => present.has(k) || this.acc.builders[k]!.pushDefault());
    }
  }
}

function jsonInput(name: string, p: Partial<JsonInputOptions>): InputFormat {
  return {
    name,
    createReader: (header, options: FormatOptions & { blockRows: number }) =>
      new JsonRowReader(header, options.blockRows, {
        tz: options.timezone,
        nullAsDefault: settingBool(options, 'input_format_null_as_default', true),
        skipUnknown: settingBool(options, 'input_format_skip_unknown_fields', false),
        strings: false,
        compact: false,
        withNames: false,
        withTypes: false,
        objectEachRow: false,
        name,
        ...p,
      }),
  };
}

export const jsonInputs: InputFormat[] = [
  jsonInput('JSONEachRow', {}),
  jsonInput('JSONStringsEachRow', { strings: true }),
  jsonInput('JSONCompactEachRow', { compact: true }),
  jsonInput('JSONCompactEachRowWithNames', { compact: true, withNames: true }),
  jsonInput('JSONCompactEachRowWithNamesAndTypes', { compact: true, withNames: true, withTypes: true }),
  jsonInput('JSONCompactStringsEachRow', { compact: true, strings: true }),
  jsonInput('JSONCompactStringsEachRowWithNames', { compact: true, strings: true, withNames: true }),
  jsonInput('JSONCompactStringsEachRowWithNamesAndTypes', { compact: true, strings: true, withNames: true, withTypes: true }),
  jsonInput('JSONObjectEachRow', { objectEachRow: true }),
];
