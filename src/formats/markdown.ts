import type { OutputFormat } from './format.js';
import { alignsRight } from './pretty.js';
import { RowTextWriter } from './text/row-text-output.js';

/** Markdown table: `| a | b |`, an alignment row (`-:` numbers, `:-` text), then `| 1 | x |` per row. */
export const markdownOutput: OutputFormat = {
  name: 'Markdown',
  contentType: 'text/markdown; charset=UTF-8',
  createWriter: (header, options, sink) =>
    new RowTextWriter(header, options, sink, {
      style: 'tsvRaw',
      rowStart: '| ',
      fieldPrefix: (k) => (k ? ' | ' : ''),
      rowEnd: ' |\n',
      prefix: (out, h) => {
        out.text(`| ${h.map((c) => c.name.replace(/\|/g, '\\|')).join(' | ')} |\n`);
        out.text(`|${h.map((c) => (alignsRight(c.type) ? '-:' : ':-')).join('|')}|\n`);
      },
    }),
};
