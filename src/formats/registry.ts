import { DbError } from '../errors/index.js';
import type { InputFormat, OutputFormat } from './format.js';
import { tabSeparatedOutputs, tskvOutput } from './tab-separated.js';
import { csvOutputs } from './csv.js';
import { jsonOutputs } from './json.js';
import { jsonEachRowOutputs } from './json-each-row.js';
import { valuesOutput } from './values.js';
import { prettyOutputs } from './pretty.js';
import { verticalOutput } from './vertical.js';
import { markdownOutput } from './markdown.js';
import { xmlOutput } from './xml.js';
import { rowBinaryInputs, rowBinaryOutputs } from './row-binary.js';
import { nativeInput, nativeOutput } from './native.js';
import { tabSeparatedInputs } from './tab-separated-input.js';
import { csvInputs } from './csv-input.js';
import { jsonInputs } from './json-input.js';
import { valuesInput } from './values-input.js';
import { arrowInputs, arrowOutputs } from './arrow.js';
import { parquetOutput } from './parquet.js';
import { parquetInput } from './parquet-input.js';
import { lineAsStringInput, lineAsStringOutput, nullOutput, rawBlobInput, rawBlobOutput } from './raw.js';

/**
 * Every format by name (case-insensitive) with ClickHouse's aliases. `listFormats` feeds system.formats.
 */

const outputs = new Map<string, OutputFormat>();
const inputs = new Map<string, InputFormat>();
const canonical = new Map<string, { name: string; isInput: boolean; isOutput: boolean }>();

const ALIASES: Record<string, string> = {
  TSV: 'TabSeparated',
  TSVRaw: 'TabSeparatedRaw',
  Raw: 'TabSeparatedRaw',
  TSVWithNames: 'TabSeparatedWithNames',
  TSVWithNamesAndTypes: 'TabSeparatedWithNamesAndTypes',
  TSVRawWithNames: 'TabSeparatedRawWithNames',
  TSVRawWithNamesAndTypes: 'TabSeparatedRawWithNamesAndTypes',
  RawWithNames: 'TabSeparatedRawWithNames',
  RawWithNamesAndTypes: 'TabSeparatedRawWithNamesAndTypes',
  JSONLines: 'JSONEachRow',
  NDJSON: 'JSONEachRow',
  MD: 'Markdown',
};

export function registerOutputFormat(f: OutputFormat): void {
  outputs.set(f.name.toLowerCase(), f);
  const e = canonical.get(f.name.toLowerCase()) ?? { name: f.name, isInput: false, isOutput: false };
  e.isOutput = true;
  canonical.set(f.name.toLowerCase(), e);
}

export function registerInputFormat(f: InputFormat): void {
  inputs.set(f.name.toLowerCase(), f);
  const e = canonical.get(f.name.toLowerCase()) ?? { name: f.name, isInput: false, isOutput: false };
  e.isInput = true;
  canonical.set(f.name.toLowerCase(), e);
}

function resolve(name: string): string {
  const lower = name.toLowerCase();
  for (const [alias, target] of Object.entries(ALIASES)) if (alias.toLowerCase() === lower) return target.toLowerCase();
  return lower;
}

export function getOutputFormat(name: string): OutputFormat {
  const f = outputs.get(resolve(name));
  if (!f) throw new DbError('UNKNOWN_FORMAT', `Unknown output format ${name}`);
  return f;
}

export function getInputFormat(name: string): InputFormat {
  const f = inputs.get(resolve(name));
  if (!f) {
    if (outputs.has(resolve(name))) throw new DbError('FORMAT_IS_NOT_SUITABLE_FOR_INPUT', `Format ${name} is not suitable for input`);
    throw new DbError('UNKNOWN_FORMAT', `Unknown input format ${name}`);
  }
  return f;
}

export function hasOutputFormat(name: string): boolean {
  return outputs.has(resolve(name));
}

export function hasInputFormat(name: string): boolean {
  return inputs.has(resolve(name));
}

/** Rows of system.formats: every canonical name and alias with its capabilities. */
export function listFormats(): { name: string; isInput: boolean; isOutput: boolean }[] {
  const rows = [...canonical.values()].map((e) => ({ ...e }));
  for (const [alias, target] of Object.entries(ALIASES)) {
    const t = canonical.get(target.toLowerCase());
    if (t && alias !== target) rows.push({ name: alias, isInput: t.isInput, isOutput: t.isOutput });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

for (const f of [
  ...tabSeparatedOutputs,
  tskvOutput,
  ...csvOutputs,
  ...jsonOutputs,
  ...jsonEachRowOutputs,
  valuesOutput,
  ...prettyOutputs,
  verticalOutput,
  markdownOutput,
  xmlOutput,
  ...rowBinaryOutputs,
  nativeOutput,
  nullOutput,
  rawBlobOutput,
  lineAsStringOutput,
  ...arrowOutputs,
  parquetOutput,
]) {
  registerOutputFormat(f);
}
for (const f of [...rowBinaryInputs, nativeInput, rawBlobInput, lineAsStringInput, ...tabSeparatedInputs, ...csvInputs, ...jsonInputs, valuesInput, ...arrowInputs, parquetInput]) {
  registerInputFormat(f);
}
