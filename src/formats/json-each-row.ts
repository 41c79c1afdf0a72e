import { typeNameFor } from '../types/dialect.js';
import type { Header } from '../core/block.js';
import type { FormatOptions, OutputFormat } from './format.js';
import { settingBool } from './settings.js';
import { RowTextWriter } from './text/row-text-output.js';
import type { TextOutput } from './text/text-output.js';
import { utf8, writeJsonString } from './text/escape.js';

/** Row-per-line JSON outputs: JSONEachRow, JSONStringsEachRow, JSONCompact[Strings]EachRow[WithNames[AndTypes]], JSONObjectEachRow. */

const PRETTY_NULL = 'ᴺᵁᴸᴸ';

function jsonName(name: string, escapeSlash: boolean): string {
  return quoteJson(name, escapeSlash);
}

/** JSON string literal for a column name, escaped exactly as values are. */
export function quoteJson(s: string, escapeSlash = true): string {
  let r = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') r += '\\"';
    else if (ch === '\\') r += '\\\\';
    else if (ch === '/' && escapeSlash) r += '\\/';
    else if (c === 8) r += '\\b';
    else if (c === 12) r += '\\f';
    else if (c === 10) r += '\\n';
    else if (c === 13) r += '\\r';
    else if (c === 9) r += '\\t';
    else if (c < 0x20) r += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c === 0x2028 || c === 0x2029) r += '\\u' + c.toString(16);
    else r += ch;
  }
  return r + '"';
}

/** `wrapped`: JSONEachRowWithProgress puts each row in `{"row":{…}}` (progress lines are optional for readers). */
function eachRow(name: string, strings: boolean, wrapped = false): OutputFormat {
  return {
    name,
    contentType: 'application/json; charset=UTF-8',
    createWriter: (header, options: FormatOptions, sink) => {
      const slash = settingBool(options, 'output_format_json_escape_forward_slashes', true);
      return new RowTextWriter(header, options, sink, {
        style: strings ? 'jsonStrings' : 'json',
        rawNull: PRETTY_NULL,
        rowStart: wrapped ? '{"row":{' : '{',
        fieldPrefix: (k, n) => `${k ? ',' : ''}${jsonName(n, slash)}:`,
        rowEnd: wrapped ? '}}\n' : '}\n',
      });
    },
  };
}

function compactEachRow(name: string, strings: boolean, withNames: boolean, withTypes: boolean): OutputFormat {
  return {
    name,
    contentType: 'application/json; charset=UTF-8',
    createWriter: (header, options: FormatOptions, sink) => {
      const slash = settingBool(options, 'output_format_json_escape_forward_slashes', true);
      const line = (out: TextOutput, items: string[]) => {
        out.byte(0x5b);
        items.forEach((s, k) => {
          if (k) out.ascii(', ');
          const b = utf8(s);
          writeJsonString(out, b, 0, b.length, slash);
        });
        out.ascii(']\n');
      };
      return new RowTextWriter(header, options, sink, {
        style: strings ? 'jsonStrings' : 'json',
        rawNull: PRETTY_NULL,
        rowStart: '[',
        fieldPrefix: (k) => (k ? ', ' : ''),
        rowEnd: ']\n',
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

const jsonObjectEachRow: OutputFormat = {
  name: 'JSONObjectEachRow',
  contentType: 'application/json; charset=UTF-8',
  createWriter: (header, options, sink) => {
    const slash = settingBool(options, 'output_format_json_escape_forward_slashes', true);
    return new RowTextWriter(header, options, sink, {
      style: 'json',
      prefix: (out) => out.ascii('{\n'),
      rowStart: (n) => `\t"row_${n}": {`,
      fieldPrefix: (k, n) => `${k ? ',' : ''}${jsonName(n, slash)}:`,
      rowEnd: '}',
      rowBetween: ',\n',
      suffix: (out, rows) => out.ascii(rows ? '\n}\n' : '}\n'),
    });
  },
};

export const jsonEachRowOutputs: OutputFormat[] = [
  eachRow('JSONEachRow', false),
  eachRow('JSONStringsEachRow', true),
  eachRow('JSONEachRowWithProgress', false, true),
  eachRow('JSONStringsEachRowWithProgress', true, true),
  compactEachRow('JSONCompactEachRow', false, false, false),
  compactEachRow('JSONCompactEachRowWithNames', false, true, false),
  compactEachRow('JSONCompactEachRowWithNamesAndTypes', false, true, true),
  compactEachRow('JSONCompactStringsEachRow', true, false, false),
  compactEachRow('JSONCompactStringsEachRowWithNames', true, true, false),
  compactEachRow('JSONCompactStringsEachRowWithNamesAndTypes', true, true, true),
  jsonObjectEachRow,
];
