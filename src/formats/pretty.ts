import type { Block, Header } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import type { FormatOptions, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { settingBool, settingInt, textWriterSettings } from './settings.js';
import { CellWriterFactory } from './text/cell-writer.js';
import { TextOutput } from './text/text-output.js';
import { displayWidth } from './text/display-width.js';
import { utf8 } from './text/escape.js';

/**
 * Pretty, PrettyCompact, PrettySpace (+NoEscapes, +MonoBlock): tables drawn with box characters, widths per
 * block (or over the whole result for MonoBlock), numbers and dates right-aligned, at most
 * output_format_pretty_max_rows rows then `Showed first N.`.
 */
type Style = 'grid' | 'compact' | 'space';

/** ClickHouse's shouldAlignRightInPrettyFormats. */
export function alignsRight(t: DataType): boolean {
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return alignsRight(t.inner);
    case 'String':
    case 'FixedString':
    case 'Enum8':
    case 'Enum16':
    case 'Array':
    case 'Map':
    case 'Tuple':
    case 'Nothing':
    case 'AggregateFunction':
    case 'IPv4':
    case 'IPv6':
      return false;
    default:
      return true;
  }
}

interface Table {
  /** [column][row] rendered cell bytes and their display widths. */
  cells: Uint8Array[][];
  cellWidths: number[][];
  /** Column widths: the widest cell or name. */
  widths: number[];
  rows: number;
}

class PrettyWriter implements OutputWriter {
  private readonly out: TextOutput;
  private readonly factory: CellWriterFactory;
  private readonly names: Uint8Array[];
  private readonly nameWidths: number[];
  private readonly right: boolean[];
  private readonly color: boolean;
  private readonly maxRows: number;
  private shown = 0;
  private total = 0;
  private readonly pending: Block[] = [];
  private totals?: Block;
  private extremes?: [Block, Block];

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    sink: (chunk: Uint8Array) => void,
    private readonly style: Style,
    noEscapes: boolean,
    private readonly mono: boolean,
  ) {
    this.out = new TextOutput(sink);
    this.factory = new CellWriterFactory(textWriterSettings(options, 'ᴺᵁᴸᴸ'));
    this.names = header.map((c) => utf8(c.name));
    this.nameWidths = this.names.map((n) => displayWidth(n, 0, n.length));
    this.right = header.map((c) => alignsRight(c.type));
    this.color = !noEscapes && settingBool(options, 'output_format_pretty_color', false);
    this.maxRows = settingInt(options, 'output_format_pretty_max_rows', 10000);
  }

  writePrefix(): void {}

  writeBlock(block: Block): void {
    this.total += block.rows;
    const room = this.maxRows - this.shown;
    if (room <= 0 || block.rows === 0) return;
    const part = block.rows > room ? block.slice(0, room) : block;
    this.shown += part.rows;
    if (this.mono) this.pending.push(part);
    else {
      this.drawTable([part]);
      this.out.flush();
    }
  }

  writeTotals(block: Block): void {
    this.totals = block;
  }

  writeExtremes(min: Block, max: Block): void {
    this.extremes = [min, max];
  }

  writeSuffix(_stats: ResultStatistics): void {
    if (this.mono && this.pending.length) this.drawTable(this.pending);
    if (this.totals && this.totals.rows) {
      this.out.ascii('\nTotals:\n');
      this.drawTable([this.totals]);
    }
    if (this.extremes) {
      this.out.ascii('\nExtremes:\n');
      this.drawTable(this.extremes);
    }
    if (this.total > this.shown) this.out.ascii(this.style === 'space' ? `\nShowed first ${this.shown}.\n` : `  Showed first ${this.shown}.\n`);
    this.out.flush();
  }

  writeException(message: string): void {
    this.out.text(`\n${message}\n`);
    this.out.flush();
  }

  private render(blocks: readonly Block[]): Table {
    const ncols = this.header.length;
    const scratch = new TextOutput(() => {}, 1 << 30);
    const cells: Uint8Array[][] = Array.from({ length: ncols }, () => []);
    const cellWidths: number[][] = Array.from({ length: ncols }, () => []);
    const widths = this.nameWidths.slice();
    let rows = 0;
    for (const b of blocks) {
      for (let k = 0; k < ncols; k++) {
        const w = this.factory.compile(this.header[k]!.type, b.columns[k]!, scratch, 'tsvRaw');
        for (let r = 0; r < b.rows; r++) {
          scratch.pos = 0;
          w(r);
          cells[k]!.push(scratch.buf.slice(0, scratch.pos));
        }
      }
      rows += b.rows;
    }
    // Tabs expand to stops counted from the start of the line, so a column's cell widths depend on the
    // widths of the columns before it (as in ClickHouse): measure left to right.
    let prefix = 2;
    for (let k = 0; k < ncols; k++) {
      for (const cell of cells[k]!) {
        const cw = displayWidth(cell, 0, cell.length, prefix);
        cellWidths[k]!.push(cw);
        if (cw > widths[k]!) widths[k] = cw;
      }
      prefix += widths[k]! + 3;
    }
    return { cells, widths, cellWidths, rows };
  }

  private name(k: number): void {
    if (this.color) this.out.ascii('\x1b[1m');
    this.out.bytes(this.names[k]!);
    if (this.color) this.out.ascii('\x1b[0m');
  }

  /** A cell or a header name padded to `width` with `fill`, aligned per column. */
  private padded(k: number, width: number, content: () => void, contentWidth: number, fill: string): void {
    const pad = Math.max(0, width - contentWidth);
    if (this.right[k]) {
      this.out.text(fill.repeat(pad));
      content();
    } else {
      content();
      this.out.text(fill.repeat(pad));
    }
  }

  private drawTable(blocks: readonly Block[]): void {
    const t = this.render(blocks);
    const out = this.out;
    const n = this.header.length;
    const line = (l: string, m: string, r: string, h: string) =>
      out.text(l + t.widths.map((w) => h.repeat(w + 2)).join(m) + r + '\n');
    const row = (r: number, sep: string, edge: string) => {
      if (this.style === 'space') {
        for (let k = 0; k < n; k++) {
          if (k) out.ascii('   ');
          this.padded(k, t.widths[k]!, () => out.bytes(t.cells[k]![r]!), t.cellWidths[k]![r]!, ' ');
        }
        out.byte(10);
        return;
      }
      for (let k = 0; k < n; k++) {
        out.text(k ? ` ${sep} ` : `${edge} `);
        this.padded(k, t.widths[k]!, () => out.bytes(t.cells[k]![r]!), t.cellWidths[k]![r]!, ' ');
      }
      out.text(` ${edge}\n`);
    };
    if (this.style === 'grid') {
      line('┏', '┳', '┓', '━');
      for (let k = 0; k < n; k++) {
        out.text(k ? ' ┃ ' : '┃ ');
        this.padded(k, t.widths[k]!, () => this.name(k), this.nameWidths[k]!, ' ');
      }
      out.text(' ┃\n');
      line('┡', '╇', '┩', '━');
      for (let r = 0; r < t.rows; r++) {
        if (r) line('├', '┼', '┤', '─');
        row(r, '│', '│');
      }
      line('└', '┴', '┘', '─');
    } else if (this.style === 'compact') {
      for (let k = 0; k < n; k++) {
        out.text(k ? '─┬─' : '┌─');
        this.padded(k, t.widths[k]!, () => this.name(k), this.nameWidths[k]!, '─');
      }
      out.text('─┐\n');
      for (let r = 0; r < t.rows; r++) row(r, '│', '│');
      line('└', '┴', '┘', '─');
    } else {
      for (let k = 0; k < n; k++) {
        if (k) out.ascii('   ');
        this.padded(k, t.widths[k]!, () => this.name(k), this.nameWidths[k]!, ' ');
      }
      out.ascii('\n\n');
      for (let r = 0; r < t.rows; r++) row(r, '', '');
    }
  }
}

function pretty(name: string, style: Style, noEscapes: boolean, mono: boolean): OutputFormat {
  return {
    name,
    contentType: 'text/plain; charset=UTF-8',
    createWriter: (header, options, sink) => new PrettyWriter(header, options, sink, style, noEscapes, mono),
  };
}

export const prettyOutputs: OutputFormat[] = [];
for (const [base, style] of [
  ['Pretty', 'grid'],
  ['PrettyCompact', 'compact'],
  ['PrettySpace', 'space'],
] as const) {
  prettyOutputs.push(
    pretty(base, style, false, false),
    pretty(`${base}NoEscapes`, style, true, false),
    pretty(`${base}MonoBlock`, style, false, true),
    pretty(`${base}NoEscapesMonoBlock`, style, true, true),
  );
}
