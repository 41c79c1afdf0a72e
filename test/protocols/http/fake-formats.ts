import type { Block } from '../../../src/core/block.js';
import type { OutputFormat, OutputWriter } from '../../../src/formats/format.js';
import type { OutputFormatLookup } from '../../../protocols/http/index.js';

/** A minimal TabSeparated writer for tests (until the format registry exists). */
function tsvValue(v: unknown): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  return String(v);
}

const TSV: OutputFormat = {
  name: 'TabSeparated',
  contentType: 'text/tab-separated-values; charset=UTF-8',
  createWriter(_header, _options, sink): OutputWriter {
    const enc = new TextEncoder();
    return {
      writePrefix() {},
      writeBlock(block: Block) {
        let s = '';
        for (const row of block.toRows()) s += `${row.map(tsvValue).join('\t')}\n`;
        sink(enc.encode(s));
      },
      writeSuffix() {},
    };
  },
};

const JSON_EACH_ROW: OutputFormat = {
  name: 'JSONEachRow',
  contentType: 'application/x-ndjson; charset=UTF-8',
  createWriter(header, _options, sink): OutputWriter {
    const enc = new TextEncoder();
    return {
      writePrefix() {},
      writeBlock(block: Block) {
        let s = '';
        for (const row of block.toRows()) {
          const obj: Record<string, unknown> = {};
          header.forEach((c, i) => {
            const v = row[i];
            obj[c.name] = typeof v === 'bigint' ? String(v) : v;
          });
          s += `${JSON.stringify(obj)}\n`;
        }
        sink(enc.encode(s));
      },
      writeSuffix() {},
    };
  },
};

export const fakeFormats: OutputFormatLookup = {
  getOutputFormat(name: string): OutputFormat | undefined {
    switch (name) {
      case 'TabSeparated':
      case 'TSV':
        return TSV;
      case 'JSONEachRow':
        return JSON_EACH_ROW;
      default:
        return undefined;
    }
  },
};
