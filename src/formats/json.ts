import { typeNameFor } from '../types/dialect.js';
import type { Block, Header } from '../core/block.js';
import type { FormatOptions, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { textWriterSettings } from './settings.js';
import { type CellWriter, CellWriterFactory } from './text/cell-writer.js';
import { TextOutput } from './text/text-output.js';
import { formatFloat64 } from '../types/text-conversion.js';
import { quoteJson } from './json-each-row.js';

/**
 * JSON / JSONCompact / JSONStrings / JSONCompactStrings: one document with meta, data, totals, extremes,
 * rows, rows_before_limit_at_least and statistics, tab-indented exactly as ClickHouse prints it.
 */
class JsonWriter implements OutputWriter {
  private readonly out: TextOutput;
  private readonly factory: CellWriterFactory;
  private readonly names: string[];
  private rows = 0;
  private totals?: Block;
  private extremes?: [Block, Block];
  private closedData = false;

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    sink: (chunk: Uint8Array) => void,
    private readonly compact: boolean,
    private readonly strings: boolean,
  ) {
    this.out = new TextOutput(sink);
    this.factory = new CellWriterFactory(textWriterSettings(options, 'ᴺᵁᴸᴸ'));
    const slash = this.factory.settings.escapeForwardSlashes;
    this.names = header.map((c) => quoteJson(c.name, slash));
    this.typeNames = header.map((c) => typeNameFor(c.type.name, options.settings));
  }
  private readonly typeNames: string[];

  writePrefix(): void {
    const out = this.out;
    out.ascii('{\n\t"meta":\n\t[\n');
    const slash = this.factory.settings.escapeForwardSlashes;
    this.header.forEach((c, k) => {
      out.text(`\t\t{\n\t\t\t"name": ${this.names[k]},\n\t\t\t"type": ${quoteJson(this.typeNames[k]!, slash)}\n\t\t}${k + 1 < this.header.length ? ',' : ''}\n`);
    });
    out.ascii('\t],\n\n\t"data":\n\t[\n');
  }

  private writers(block: Block): CellWriter[] {
    const style = this.strings ? 'jsonStrings' : 'json';
    return this.header.map((c, k) => this.factory.compile(c.type, block.columns[k]!, this.out, style));
  }

  /** One row: `{ "name": value, … }` over several lines, or `[v, v]` when compact. */
  private writeRow(ws: CellWriter[], r: number, indent: string, compactSep: string): void {
    const out = this.out;
    if (this.compact) {
      out.byte(0x5b);
      for (let k = 0; k < ws.length; k++) {
        if (k) out.ascii(compactSep);
        ws[k]!(r);
      }
      out.byte(0x5d);
      return;
    }
    out.ascii(`${indent}{\n`);
    for (let k = 0; k < ws.length; k++) {
      if (k) out.ascii(',\n');
      out.ascii(indent);
      out.ascii('\t');
      out.text(this.names[k]!);
      out.ascii(': ');
      ws[k]!(r);
    }
    out.ascii(`\n${indent}}`);
  }

  writeBlock(block: Block): void {
    const ws = this.writers(block);
    const out = this.out;
    for (let r = 0; r < block.rows; r++) {
      if (this.rows++) out.ascii(',\n');
      if (this.compact) out.ascii('\t\t');
      this.writeRow(ws, r, '\t\t', ', ');
      if (out.pos >= 65536) out.flush();
    }
    out.flush();
  }

  writeTotals(block: Block): void {
    this.totals = block;
  }

  writeExtremes(min: Block, max: Block): void {
    this.extremes = [min, max];
  }

  private closeData(): void {
    if (this.closedData) return;
    this.closedData = true;
    this.out.ascii('\n\t]');
  }

  writeSuffix(stats: ResultStatistics): void {
    const out = this.out;
    this.closeData();
    if (this.totals && this.totals.rows > 0) {
      const ws = this.writers(this.totals);
      out.ascii(',\n\n\t"totals":');
      if (this.compact) {
        out.byte(0x20);
        this.writeRow(ws, 0, '\t', ', ');
      } else {
        out.ascii('\n');
        this.writeRow(ws, 0, '\t', ', ');
      }
    }
    if (this.extremes) {
      out.ascii(',\n\n\t"extremes":\n\t{\n');
      const [min, max] = this.extremes;
      for (const [label, b] of [
        ['min', min],
        ['max', max],
      ] as const) {
        const ws = this.writers(b);
        if (this.compact) {
          out.ascii(`\t\t"${label}": `);
          this.writeRow(ws, 0, '\t\t', ', ');
        } else {
          out.ascii(`\t\t"${label}":\n`);
          this.writeRow(ws, 0, '\t\t', ', ');
        }
        out.ascii(label === 'min' ? ',\n' : '\n');
      }
      out.ascii('\t}');
    }
    out.ascii(`,\n\n\t"rows": ${this.rows}`);
    if (stats.rowsBeforeLimitAtLeast !== undefined) out.ascii(`,\n\n\t"rows_before_limit_at_least": ${stats.rowsBeforeLimitAtLeast}`);
    out.ascii(
      `,\n\n\t"statistics":\n\t{\n\t\t"elapsed": ${formatFloat64(stats.elapsedSeconds)},\n\t\t"rows_read": ${stats.rowsRead},\n\t\t"bytes_read": ${stats.bytesRead}\n\t}\n}\n`,
    );
    out.flush();
  }

  writeException(message: string): void {
    this.closeData();
    this.out.text(`,\n\n\t"exception": ${quoteJson(message)}\n}\n`);
    this.out.flush();
  }
}

function jsonFormat(name: string, compact: boolean, strings: boolean): OutputFormat {
  return {
    name,
    contentType: 'application/json; charset=UTF-8',
    createWriter: (header, options, sink) => new JsonWriter(header, options, sink, compact, strings),
  };
}

export const jsonOutputs: OutputFormat[] = [
  jsonFormat('JSON', false, false),
  jsonFormat('JSONCompact', true, false),
  jsonFormat('JSONStrings', false, true),
  jsonFormat('JSONCompactStrings', true, true),
];
