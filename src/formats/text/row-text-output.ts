import type { Block, Header } from '../../core/block.js';
import type { FormatOptions, OutputWriter, ResultStatistics } from '../format.js';
import { textWriterSettings } from '../settings.js';
import { type CellWriter, CellWriterFactory, type TextStyle } from './cell-writer.js';
import { TextOutput } from './text-output.js';
import { utf8 } from './escape.js';

/**
 * The shape of a row-per-line text format (TabSeparated, CSV, JSONEachRow, JSONCompactEachRow, Values,
 * TSKV …): fixed bytes around rows and before each field, and a text style for the values.
 */
export interface RowLayout {
  readonly style: TextStyle;
  /** What tsvRaw style prints for NULL. */
  readonly rawNull?: string;
  /** Bytes written before field k of every row (e.g. `\t` for k > 0, `"name":` for JSONEachRow). */
  fieldPrefix(k: number, name: string): string;
  /** Bytes after the last field (e.g. `\n`, `}\n`). */
  readonly rowEnd: string;
  /** Bytes before each row (or a function of the 1-based row number). */
  readonly rowStart?: string | ((rowNumber: number) => string);
  /** Bytes between rows (Values: `,`). */
  readonly rowBetween?: string;
  prefix?(out: TextOutput, header: Header, factory: CellWriterFactory): void;
  suffix?(out: TextOutput, rowsWritten: number): void;
  /** TabSeparated / CSV print totals and extremes after an empty line. */
  readonly showTotals?: boolean;
}

export class RowTextWriter implements OutputWriter {
  readonly out: TextOutput;
  readonly factory: CellWriterFactory;
  private readonly prefixes: Uint8Array[];
  private readonly rowEnd: Uint8Array;
  private readonly rowBetween: Uint8Array | undefined;
  private rows = 0;

  constructor(
    readonly header: Header,
    options: FormatOptions,
    sink: (chunk: Uint8Array) => void,
    private readonly layout: RowLayout,
  ) {
    this.out = new TextOutput(sink);
    this.factory = new CellWriterFactory(textWriterSettings(options, layout.rawNull));
    this.prefixes = header.map((c, k) => utf8(layout.fieldPrefix(k, c.name)));
    this.rowEnd = utf8(layout.rowEnd);
    this.rowBetween = layout.rowBetween ? utf8(layout.rowBetween) : undefined;
  }

  writePrefix(): void {
    this.layout.prefix?.(this.out, this.header, this.factory);
  }

  writeBlock(block: Block): void {
    this.writeRows(block);
    this.out.flush();
  }

  private writeRows(block: Block): void {
    const out = this.out;
    const n = block.rows;
    const ncols = this.header.length;
    const writers: CellWriter[] = this.header.map((c, k) => this.factory.compile(c.type, block.columns[k]!, out, this.layout.style));
    const prefixes = this.prefixes;
    const rowEnd = this.rowEnd;
    const between = this.rowBetween;
    const rowStart = this.layout.rowStart;
    const staticStart = typeof rowStart === 'string' && rowStart.length ? utf8(rowStart) : undefined;
    for (let r = 0; r < n; r++) {
      if (between && this.rows > 0) out.bytes(between);
      this.rows++;
      if (staticStart) out.bytes(staticStart);
      else if (typeof rowStart === 'function') out.text(rowStart(this.rows));
      for (let k = 0; k < ncols; k++) {
        const p = prefixes[k]!;
        if (p.length === 1) out.byte(p[0]!);
        else if (p.length) out.bytes(p);
        writers[k]!(r);
      }
      out.bytes(rowEnd);
      if (out.pos >= 65536) out.flush();
    }
  }

  writeTotals(block: Block): void {
    if (!this.layout.showTotals) return;
    this.out.byte(10);
    this.writeRowsNoCount(block);
  }

  writeExtremes(min: Block, max: Block): void {
    if (!this.layout.showTotals) return;
    this.out.byte(10);
    this.writeRowsNoCount(min);
    this.writeRowsNoCount(max);
  }

  private writeRowsNoCount(block: Block): void {
    const saved = this.rows;
    this.writeRows(block);
    this.rows = saved;
  }

  writeSuffix(_stats: ResultStatistics): void {
    this.layout.suffix?.(this.out, this.rows);
    this.out.flush();
  }

  writeException(message: string): void {
    this.out.text(`\n${message}\n`);
    this.out.flush();
  }
}
