import type { FormatOptions, OutputFormat, OutputWriter } from '../../src/formats/format.js';
import type { Header } from '../../src/core/block.js';
import { DbError, ErrorCodes } from '../../src/errors/index.js';
import { getOutputFormat } from '../../src/formats/registry.js';

/** Where the HTTP interface gets output formats (the engine's format registry). */
export interface OutputFormatLookup {
  getOutputFormat(name: string): OutputFormat | undefined;
}

/** `FORMAT Null`: consumes the result, writes nothing. Used when the registry has no Null format of its own. */
const NULL_FORMAT: OutputFormat = {
  name: 'Null',
  contentType: 'text/plain; charset=UTF-8',
  createWriter(_header: Header, _options: FormatOptions, _sink: (chunk: Uint8Array) => void): OutputWriter {
    return { writePrefix() {}, writeBlock() {}, writeSuffix() {} };
  },
};

/** The engine's format registry. */
export const registryFormats: OutputFormatLookup = { getOutputFormat };

export function resolveOutputFormat(lookup: OutputFormatLookup, name: string): OutputFormat {
  let format: OutputFormat | undefined;
  let failure: unknown;
  try {
    format = lookup.getOutputFormat(name);
  } catch (e) {
    failure = e;
  }
  if (format !== undefined) return format;
  if (name.toLowerCase() === 'null') return NULL_FORMAT;
  if (failure instanceof DbError && failure.code !== ErrorCodes.UNKNOWN_FORMAT) throw failure;
  throw new DbError('UNKNOWN_FORMAT', `Unknown output format ${name}`);
}
