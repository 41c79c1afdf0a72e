import type { Block, Header } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import type { ArrayColumn, Column, NullableColumn, TupleColumn } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import type { FormatOptions, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { textWriterSettings } from './settings.js';
import { type CellWriter, CellWriterFactory } from './text/cell-writer.js';
import { TextOutput } from './text/text-output.js';
import { formatFloat64 } from '../types/text-conversion.js';

/** XML: `<result><meta>…</meta><data><row><name>value</name>…</row></data><rows>N</rows><statistics>…` */

function xmlEscape(out: TextOutput, b: Uint8Array, s: number, e: number): void {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 0x3c) out.ascii('&lt;');
    else if (c === 0x26) out.ascii('&amp;');
    else out.byte(c);
  }
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** A tag name for a column: the name when it is a valid XML name, else `field`. */
function tagName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : 'field';
}

class XmlWriter implements OutputWriter {
  private readonly out: TextOutput;
  private readonly factory: CellWriterFactory;
  private readonly tags: string[];
  private rows = 0;

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    sink: (chunk: Uint8Array) => void,
  ) {
    this.out = new TextOutput(sink);
    this.factory = new CellWriterFactory(textWriterSettings(options));
    this.tags = header.map((c) => tagName(c.name));
  }

  writePrefix(): void {
    let s = "<?xml version='1.0' encoding='UTF-8' ?>\n<result>\n\t<meta>\n\t\t<columns>\n";
    for (const c of this.header) {
      s += `\t\t\t<column>\n\t\t\t\t<name>${xmlText(c.name)}</name>\n\t\t\t\t<type>${xmlText(c.type.name)}</type>\n\t\t\t</column>\n`;
    }
    s += '\t\t</columns>\n\t</meta>\n\t<data>\n';
    this.out.text(s);
  }

  private value(type: DataType, col: Column): CellWriter {
    col = materialize(col);
    const out = this.out;
    if (type.kind === 'LowCardinality') return this.value(type.inner, col);
    if (type.kind === 'Nullable') {
      const c = col as NullableColumn;
      const inner = this.value(type.inner, c.inner);
      return (i) => (c.nulls[i] ? out.ascii('\\N') : inner(i));
    }
    if (type.kind === 'Array') {
      const c = col as ArrayColumn;
      const item = this.value(type.element, c.inner);
      return (i) => {
        out.ascii('<array>');
        for (let j = c.offsets[i]!; j < c.offsets[i + 1]!; j++) {
          out.ascii('<elem>');
          item(j);
          out.ascii('</elem>');
        }
        out.ascii('</array>');
      };
    }
    if (type.kind === 'Tuple') {
      const c = col as TupleColumn;
      const items = type.elements.map((e, k) => this.value(e, c.columns[k]!));
      return (i) => {
        out.ascii('<tuple>');
        for (const w of items) {
          out.ascii('<elem>');
          w(i);
          out.ascii('</elem>');
        }
        out.ascii('</tuple>');
      };
    }
    return this.factory.stringified(type, col, out, 'tsvRaw', xmlEscape);
  }

  writeBlock(block: Block): void {
    const ws = this.header.map((c, k) => this.value(c.type, block.columns[k]!));
    const out = this.out;
    for (let r = 0; r < block.rows; r++) {
      out.ascii('\t\t<row>\n');
      for (let k = 0; k < ws.length; k++) {
        out.text(`\t\t\t<${this.tags[k]}>`);
        ws[k]!(r);
        out.text(`</${this.tags[k]}>\n`);
      }
      out.ascii('\t\t</row>\n');
      this.rows++;
    }
    out.flush();
  }

  writeSuffix(stats: ResultStatistics): void {
    let s = `\t</data>\n\t<rows>${this.rows}</rows>\n`;
    if (stats.rowsBeforeLimitAtLeast !== undefined) s += `\t<rows_before_limit_at_least>${stats.rowsBeforeLimitAtLeast}</rows_before_limit_at_least>\n`;
    s += `\t<statistics>\n\t\t<elapsed>${formatFloat64(stats.elapsedSeconds)}</elapsed>\n\t\t<rows_read>${stats.rowsRead}</rows_read>\n\t\t<bytes_read>${stats.bytesRead}</bytes_read>\n\t</statistics>\n</result>\n`;
    this.out.text(s);
    this.out.flush();
  }

  writeException(message: string): void {
    this.out.text(`\t</data>\n\t<exception>${xmlText(message)}</exception>\n</result>\n`);
    this.out.flush();
  }
}

export const xmlOutput: OutputFormat = {
  name: 'XML',
  contentType: 'application/xml; charset=UTF-8',
  createWriter: (header, options, sink) => new XmlWriter(header, options, sink),
};
