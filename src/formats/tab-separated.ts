import { typeNameFor } from '../types/dialect.js';
import type { Header } from '../core/block.js';
import type { OutputFormat } from './format.js';
import { RowTextWriter, type RowLayout } from './text/row-text-output.js';
import type { TextOutput } from './text/text-output.js';
import { utf8, writeEscaped } from './text/escape.js';

/** TabSeparated output family: values escaped (`\t \n \\ \0 \b \f \r \'`), NULL as `\N`; Raw variants unescaped. */

function headerLines(withNames: boolean, withTypes: boolean, raw: boolean, settings: ReadonlyMap<string, string>) {
  return (out: TextOutput, header: Header): void => {
    const line = (items: string[]) => {
      items.forEach((s, k) => {
        if (k) out.byte(9);
        const b = utf8(s);
        if (raw) out.bytes(b);
        else writeEscaped(out, b, 0, b.length);
      });
      out.byte(10);
    };
    if (withNames) line(header.map((c) => c.name));
    if (withTypes) line(header.map((c) => typeNameFor(c.type.name, settings)));
  };
}

function tsvLayout(raw: boolean, withNames: boolean, withTypes: boolean, settings: ReadonlyMap<string, string>): RowLayout {
  return {
    style: raw ? 'tsvRaw' : 'tsv',
    fieldPrefix: (k) => (k ? '\t' : ''),
    rowEnd: '\n',
    prefix: withNames || withTypes ? headerLines(withNames, withTypes, raw, settings) : undefined,
    showTotals: true,
  };
}

function tsvFormat(name: string, raw: boolean, withNames: boolean, withTypes: boolean): OutputFormat {
  return {
    name,
    contentType: 'text/tab-separated-values; charset=UTF-8',
    createWriter: (header, options, sink) => new RowTextWriter(header, options, sink, tsvLayout(raw, withNames, withTypes, options.settings)),
  };
}

export const tabSeparatedOutputs: OutputFormat[] = [
  tsvFormat('TabSeparated', false, false, false),
  tsvFormat('TabSeparatedWithNames', false, true, false),
  tsvFormat('TabSeparatedWithNamesAndTypes', false, true, true),
  tsvFormat('TabSeparatedRaw', true, false, false),
  tsvFormat('TabSeparatedRawWithNames', true, true, false),
  tsvFormat('TabSeparatedRawWithNamesAndTypes', true, true, true),
];

/** TSKV: `name=value` pairs separated by tabs, TSV-escaped (`=` in names escaped too). */
export const tskvOutput: OutputFormat = {
  name: 'TSKV',
  contentType: 'text/tab-separated-values; charset=UTF-8',
  createWriter: (header, options, sink) =>
    new RowTextWriter(header, options, sink, {
      style: 'tsv',
      fieldPrefix: (k, name) => `${k ? '\t' : ''}${name.replace(/[\\\t\n=]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\' + c))}=`,
      rowEnd: '\n',
    }),
};
