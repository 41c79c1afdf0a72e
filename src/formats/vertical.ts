import type { Block, Header } from '../core/block.js';
import type { FormatOptions, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { settingInt, textWriterSettings } from './settings.js';
import { CellWriterFactory } from './text/cell-writer.js';
import { TextOutput } from './text/text-output.js';
import { displayWidth } from './text/display-width.js';
import { utf8 } from './text/escape.js';

/** Vertical: each row as `Row N:` then `name: value` lines, names padded to the widest. */
class VerticalWriter implements OutputWriter {
  private readonly out: TextOutput;
  private readonly factory: CellWriterFactory;
  private readonly labels: Uint8Array[];
  private readonly maxRows: number;
  private rows = 0;
  private total = 0;

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    sink: (chunk: Uint8Array) => void,
  ) {
    this.out = new TextOutput(sink);
    this.factory = new CellWriterFactory(textWriterSettings(options, 'ᴺᵁᴸᴸ'));
    const names = header.map((c) => utf8(c.name));
    const widths = names.map((n) => displayWidth(n, 0, n.length));
    const max = Math.max(0, ...widths);
    this.labels = names.map((n, k) => Uint8Array.from([...n, 0x3a, ...new Array<number>(max - widths[k]! + 1).fill(0x20)]));
    this.maxRows = settingInt(options, 'output_format_pretty_max_rows', 10000);
  }

  writePrefix(): void {}

  private writeRows(block: Block, title: (r: number) => string): void {
    const out = this.out;
    const ws = this.header.map((c, k) => this.factory.compile(c.type, block.columns[k]!, out, 'tsvRaw'));
    for (let r = 0; r < block.rows; r++) {
      const t = title(r);
      if (t) {
        out.text(t);
        out.text('\n' + '─'.repeat(displayWidth(utf8(t), 0, utf8(t).length)) + '\n');
      }
      for (let k = 0; k < ws.length; k++) {
        out.bytes(this.labels[k]!);
        ws[k]!(r);
        out.byte(10);
      }
    }
  }

  writeBlock(block: Block): void {
    this.total += block.rows;
    const room = this.maxRows - this.rows;
    if (room <= 0) return;
    const part = block.rows > room ? block.slice(0, room) : block;
    this.writeRows(part, () => `${this.rows++ ? '\n' : ''}Row ${this.rows}:`);
    this.out.flush();
  }

  writeTotals(block: Block): void {
    this.out.ascii('\n');
    this.writeRows(block, () => 'Totals:');
  }

  writeExtremes(min: Block, max: Block): void {
    this.out.ascii('\n');
    this.writeRows(min, () => 'Min:');
    this.out.ascii('\n');
    this.writeRows(max, () => 'Max:');
  }

  writeSuffix(_stats: ResultStatistics): void {
    if (this.total > this.rows) this.out.ascii(`\nShowed first ${this.rows}.\n`);
    this.out.flush();
  }

  writeException(message: string): void {
    this.out.text(`\n${message}\n`);
    this.out.flush();
  }
}

export const verticalOutput: OutputFormat = {
  name: 'Vertical',
  contentType: 'text/plain; charset=UTF-8',
  createWriter: (header, options, sink) => new VerticalWriter(header, options, sink),
};
