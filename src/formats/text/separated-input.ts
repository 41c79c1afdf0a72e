import type { Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { NeedMoreData } from '../../types/serializations/buffer.js';
import { RowInputReader } from '../row-input.js';
import { bindFieldSink, contextAt, type FieldSink, mapInputNames } from './field-sink.js';
import { bytesToText } from './plain-parser.js';

/**
 * Shared machinery of TabSeparated and CSV input: an optional names line and types line, fields mapped to
 * target columns by position or by name, NULL markers, defaults for columns the input does not carry.
 */
export interface SeparatedInputOptions {
  readonly tz: string;
  readonly nullAsDefault: boolean;
  readonly skipUnknown: boolean;
  readonly withNames: boolean;
  readonly withTypes: boolean;
  readonly formatName: string;
}

export abstract class SeparatedInputReader extends RowInputReader {
  /** order[i] = target column of field i (-1 = skip). */
  protected order: number[];
  protected sinks: (FieldSink | undefined)[] = [];
  protected missing: number[] = [];
  private boundTo: unknown;

  constructor(
    protected readonly header: Header,
    blockRows: number,
    protected readonly o: SeparatedInputOptions,
  ) {
    super(header, blockRows);
    this.order = header.map((_, k) => k);
  }

  /** Reads one header line's fields as strings; returns the position after the line. */
  protected abstract readHeaderLine(buf: Uint8Array, pos: number, end: number, final: boolean, out: string[]): number;

  /** Sinks in input-field order, bound to the current builders. */
  protected bind(): (FieldSink | undefined)[] {
    if (this.boundTo !== this.acc.builders) {
      const o = { tz: this.o.tz, nullAsDefault: this.o.nullAsDefault };
      const byTarget = this.header.map((c, k) => bindFieldSink(c.type, this.acc.builders[k]!, o));
      this.sinks = this.order.map((k) => (k >= 0 ? byTarget[k] : undefined));
      const present = new Set(this.order);
      this.missing = this.header.map((_, k) => k).filter((k) => !present.has(k));
      this.missingSinks = this.missing.map((k) => byTarget[k]!);
      this.boundTo = this.acc.builders;
    }
    return this.sinks;
  }

  protected missingSinks: FieldSink[] = [];

  /** Called after a row's fields: defaults for absent columns, then the row counts. */
  protected finishRow(): void {
    for (const s of this.missingSinks) s.missing();
    this.acc.rows++;
  }

  protected override readHeader(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    if (!this.o.withNames) return pos;
    const names: string[] = [];
    pos = this.readHeaderLine(buf, pos, end, final, names);
    if (this.o.withTypes) pos = this.readHeaderLine(buf, pos, end, final, []);
    if (names.length === 1 && names[0] === '' && this.header.length !== 1) return pos;
    this.order = mapInputNames(names, this.header, this.o.skipUnknown, this.o.formatName);
    this.boundTo = undefined;
    return pos;
  }

  protected tooFewFields(buf: Uint8Array, pos: number, end: number, delimiter: string): DbError {
    return new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `Cannot parse input: expected '${delimiter}' before: '${contextAt(buf, pos, end)}'`);
  }

  protected tooManyFields(buf: Uint8Array, pos: number, end: number): DbError {
    return new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `Cannot parse input: expected '\\n' before: '${contextAt(buf, pos, end)}'`);
  }

  /** End of the line starting at `pos` (index of '\n', or `end` at EOF); NeedMoreData while more may come. */
  protected lineEnd(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const i = buf.indexOf(10, pos);
    if (i >= 0 && i < end) return i;
    if (!final) throw new NeedMoreData(end + 1);
    return end;
  }

  protected text(buf: Uint8Array, s: number, e: number): string {
    return bytesToText(buf, s, e);
  }
}
