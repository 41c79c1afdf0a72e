import type { FormatOptions } from './format.js';
import type { TextWriterSettings } from './text/cell-writer.js';

/** Typed reads of query settings (all arrive as text, as ClickHouse's HTTP parameters do). */

export function settingString(o: FormatOptions, name: string, fallback: string): string {
  return o.settings.get(name) ?? fallback;
}

export function settingBool(o: FormatOptions, name: string, fallback: boolean): boolean {
  const v = o.settings.get(name);
  if (v === undefined) return fallback;
  const s = v.trim().toLowerCase();
  if (s === '1' || s === 'true' || s === 'yes' || s === 'on') return true;
  if (s === '0' || s === 'false' || s === 'no' || s === 'off' || s === '') return false;
  return fallback;
}

export function settingInt(o: FormatOptions, name: string, fallback: number): number {
  const v = o.settings.get(name);
  if (v === undefined) return fallback;
  const n = Number(v.trim());
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** A one-character setting such as format_csv_delimiter (`,`), given as the character itself. */
export function settingChar(o: FormatOptions, name: string, fallback: string): number {
  let v = o.settings.get(name);
  if (v === undefined || v.length === 0) return fallback.charCodeAt(0);
  if (v.length >= 3 && (v[0] === "'" || v[0] === '"') && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  if (v === '\\t') return 9;
  return v.charCodeAt(0);
}

export function textWriterSettings(o: FormatOptions, rawNull = '\\N'): TextWriterSettings {
  return {
    tz: o.timezone,
    rawNull,
    csvDelimiter: settingChar(o, 'format_csv_delimiter', ','),
    quote64bit: settingBool(o, 'output_format_json_quote_64bit_integers', true),
    quoteDecimals: settingBool(o, 'output_format_json_quote_decimals', false),
    quoteDenormals: settingBool(o, 'output_format_json_quote_denormals', false),
    escapeForwardSlashes: settingBool(o, 'output_format_json_escape_forward_slashes', true),
    namedTuplesAsObjects: settingBool(o, 'output_format_json_named_tuples_as_objects', true),
    decimalTrailingZeros: settingBool(o, 'output_format_decimal_trailing_zeros', false),
    zoneSuffix: o.settings.get('dialect') === 'proton',
  };
}
