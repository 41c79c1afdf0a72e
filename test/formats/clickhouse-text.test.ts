import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureBlock, fixtureHeader, fixtureQuery } from './fixtures.js';
import { renderOutput } from './render.js';

/**
 * Exact text of every text output format against ClickHouse 18.16 for the shared fixture.
 * Regenerate the expected files from a reference server with
 *   HADRON_UPDATE_GOLDEN=1 HADRON_REFERENCE_URL=http://127.0.0.1:8123 npx vitest run test/formats/clickhouse-text.test.ts
 */
const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, 'golden', 'clickhouse');
const update = process.env['HADRON_UPDATE_GOLDEN'] === '1';
const referenceUrl = process.env['HADRON_REFERENCE_URL'] ?? 'http://127.0.0.1:37507';

/** [format, settings]. Pretty formats with colour off (as over HTTP in current ClickHouse). */
export const TEXT_FORMATS: [string, Record<string, string>][] = [
  ['TabSeparated', {}],
  ['TabSeparatedWithNamesAndTypes', {}],
  ['TabSeparatedRaw', {}],
  ['CSV', {}],
  ['CSVWithNames', {}],
  ['JSON', {}],
  ['JSONCompact', {}],
  ['JSONEachRow', {}],
  ['Values', {}],
  ['TSKV', {}],
  ['Pretty', { output_format_pretty_color: '0' }],
  ['PrettyCompact', { output_format_pretty_color: '0' }],
  ['PrettySpace', { output_format_pretty_color: '0' }],
  ['PrettyCompactMonoBlock', { output_format_pretty_color: '0' }],
  ['Vertical', {}],
  ['XML', {}],
  ['JSON', { output_format_json_quote_64bit_integers: '0' }],
];

function goldenName(format: string, settings: Record<string, string>): string {
  const extra = Object.entries(settings)
    .filter(([k]) => k !== 'output_format_pretty_color')
    .map(([k, v]) => `-${k}=${v}`)
    .join('');
  return `${format}${extra}.txt`;
}

/** JSON statistics depend on the run; compare everything else. */
function normalize(text: string): string {
  return text
    .replace(/"elapsed": [^,\n]*,\n(\t*)"rows_read": \d+,\n\t*"bytes_read": \d+/g, '"elapsed": E,\n$1"rows_read": R,\n$1"bytes_read": B')
    .replace(/<elapsed>[^<]*<\/elapsed>\n(\t*)<rows_read>\d+<\/rows_read>\n\t*<bytes_read>\d+<\/bytes_read>/g, '<elapsed>E</elapsed>\n$1<rows_read>R</rows_read>\n$1<bytes_read>B</bytes_read>');
}

describe('text outputs match ClickHouse 18.16 byte for byte', () => {
  for (const [format, settings] of TEXT_FORMATS) {
    const file = join(goldenDir, goldenName(format, settings));
    it.skipIf(!update && !existsSync(file))(`${format} ${JSON.stringify(settings)}`, async () => {
      if (update) {
        const params = new URLSearchParams(settings);
        const res = await fetch(`${referenceUrl}/?${params}`, { method: 'POST', body: `${fixtureQuery()} FORMAT ${format}` });
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      }
      let expected = readFileSync(file, 'utf8');
      // Known 18.16 differences Hadron does not copy: TSVRaw prints NULL as ᴺᵁᴸᴸ there, `\N` in current ClickHouse.
      if (format === 'TabSeparatedRaw') expected = expected.replace(/ᴺᵁᴸᴸ/g, '\\N');
      const actual = renderOutput(format, fixtureHeader(), [fixtureBlock()], { settings, timezone: 'UTC' });
      expect(normalize(actual)).toBe(normalize(expected));
    });
  }
});
