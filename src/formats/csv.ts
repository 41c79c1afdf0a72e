import { typeNameFor } from '../types/dialect.js';
import type { Header } from '../core/block.js';
import type { FormatOptions, OutputFormat } from './format.js';
import { settingBool, settingChar } from './settings.js';
import { RowTextWriter } from './text/row-text-output.js';
import type { TextOutput } from './text/text-output.js';
import { utf8, writeCsvQuoted } from './text/escape.js';

/** CSV output: strings and dates in double quotes (`"` doubled), numbers bare, NULL `\N`, arrays as quoted fields. */

function csvFormat(name: string, withNames: boolean, withTypes: boolean): OutputFormat {
  return {
    name,
    contentType: `text/csv; charset=UTF-8; header=${withNames ? 'present' : 'absent'}`,
    createWriter: (header, options: FormatOptions, sink) => {
      const delim = String.fromCharCode(settingChar(options, 'format_csv_delimiter', ','));
      const eol = settingBool(options, 'output_format_csv_crlf_end_of_line', false) ? '\r\n' : '\n';
      const line = (out: TextOutput, items: string[]) => {
        items.forEach((s, k) => {
          if (k) out.text(delim);
          const b = utf8(s);
          writeCsvQuoted(out, b, 0, b.length);
        });
        out.ascii(eol);
      };
      return new RowTextWriter(header, options, sink, {
        style: 'csv',
        fieldPrefix: (k) => (k ? delim : ''),
        rowEnd: eol,
        showTotals: true,
        prefix:
          withNames || withTypes
            ? (out: TextOutput, h: Header) => {
                if (withNames) line(out, h.map((c) => c.name));
                if (withTypes) line(out, h.map((c) => typeNameFor(c.type.name, options.settings)));
              }
            : undefined,
      });
    },
  };
}

export const csvOutputs: OutputFormat[] = [
  csvFormat('CSV', false, false),
  csvFormat('CSVWithNames', true, false),
  csvFormat('CSVWithNamesAndTypes', true, true),
];
