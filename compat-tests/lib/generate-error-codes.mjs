#!/usr/bin/env node
// Regenerates compat-tests/lib/error-codes.json from an ErrorCodes.cpp.
//
//   node compat-tests/lib/generate-error-codes.mjs PATH/TO/ErrorCodes.cpp [MORE.cpp ...]
//
// The first file is the primary source (Timeplus Proton 1.6.1, commit c8bc831705,
// src/Common/ErrorCodes.cpp: the dialect the proton-queries cases were written for).
// Names from later files are added as aliases when their code is known; a code
// missing from the primary file is added with its name.
//
// Proton renamed ClickHouse's *TABLE* error names to *STREAM*; ClickHouse's names
// (read from ClickHouse's src/Common/ErrorCodes.cpp, 22.x) are kept as aliases
// below so that `serverError UNKNOWN_TABLE` and `serverError UNKNOWN_STREAM` both
// resolve to 60.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLICKHOUSE_ALIASES = {
  16: 'NO_SUCH_COLUMN_IN_TABLE',
  57: 'TABLE_ALREADY_EXISTS',
  58: 'TABLE_METADATA_ALREADY_EXISTS',
  60: 'UNKNOWN_TABLE',
  189: 'TABLE_MUST_NOT_BE_CREATED_MANUALLY',
  201: 'QUOTA_EXPIRED',
  208: 'EMPTY_NESTED_TABLE',
  218: 'TABLE_IS_DROPPED',
  222: 'ADDING_REPLICA_TO_NON_EMPTY_TABLE',
  242: 'TABLE_IS_READ_ONLY',
  305: 'TABLE_WAS_NOT_DROPPED',
  345: 'TABLE_DIFFERS_TOO_MUCH',
  350: 'INCOMPATIBLE_SOURCE_TABLES',
  351: 'AMBIGUOUS_TABLE_NAME',
  359: 'TABLE_SIZE_EXCEEDS_MAX_DROP_SIZE_LIMIT',
  370: 'DATA_TYPE_CANNOT_BE_USED_IN_TABLES',
  390: 'CANNOT_GET_CREATE_TABLE_QUERY',
  435: 'NO_DATA_FOR_REQUIRED_PROTOBUF_FIELD',
  442: 'BAD_DATABASE_FOR_TEMPORARY_TABLE',
  443: 'NO_COMMON_COLUMNS_WITH_PROTOBUF_SCHEMA',
  520: 'CANNOT_DETACH_DICTIONARY_AS_TABLE',
  526: 'UNKNOWN_VOLUME_TYPE',
  582: 'NO_SUCH_PROJECTION_IN_TABLE',
  608: 'CANNOT_RESTORE_TABLE',
  636: 'CANNOT_EXTRACT_TABLE_STRUCTURE',
  637: 'INVALID_TABLE_OVERRIDE',
  645: 'NUMBER_OF_DIMENSIONS_MISMATHED',
};

function parseErrorCodes(text) {
  const pairs = [];
  const re = /M\(\s*(\d+)\s*,\s*([A-Z0-9_]+)\s*\)/g;
  let m;
  while ((m = re.exec(text)) !== null) pairs.push([Number(m[1]), m[2]]);
  return pairs;
}

function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: generate-error-codes.mjs ErrorCodes.cpp [MORE.cpp ...]');
    process.exit(2);
  }
  /** @type {Record<string, string>} code -> primary name */
  const names = {};
  /** @type {Record<string, number>} name -> code */
  const codes = {};
  files.forEach((file, i) => {
    for (const [code, name] of parseErrorCodes(readFileSync(file, 'utf8'))) {
      if (i === 0 || names[code] === undefined) names[code] ??= name;
      codes[name] ??= code;
    }
  });
  for (const [code, name] of Object.entries(CLICKHOUSE_ALIASES)) codes[name] ??= Number(code);
  const sortedCodes = Object.fromEntries(Object.entries(codes).sort(([a], [b]) => a.localeCompare(b)));
  const out = {
    generated: 'by compat-tests/lib/generate-error-codes.mjs from Proton 1.6.1 src/Common/ErrorCodes.cpp plus ClickHouse aliases; do not edit',
    names,
    codes: sortedCodes,
  };
  const target = join(dirname(fileURLToPath(import.meta.url)), 'error-codes.json');
  writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
  console.log(`wrote ${target}: ${Object.keys(names).length} codes, ${Object.keys(codes).length} names`);
}

main();
