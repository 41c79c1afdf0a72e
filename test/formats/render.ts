import type { Block, Header } from '../../src/core/block.js';
import { getInputFormat, getOutputFormat } from '../../src/formats/registry.js';

export interface RenderOptions {
  settings?: Record<string, string>;
  timezone?: string;
  totals?: Block;
  extremes?: [Block, Block];
}

/** Runs an output format over blocks and returns the bytes. */
export function renderOutputBytes(format: string, header: Header, blocks: Block[], o: RenderOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = getOutputFormat(format).createWriter(
    header,
    // The golden texts come from ClickHouse 18.16, which always prints decimal trailing zeros (the modern
    // default, which Hadron follows, is output_format_decimal_trailing_zeros = 0).
    { timezone: o.timezone ?? 'UTC', settings: new Map(Object.entries({ output_format_decimal_trailing_zeros: '1', ...(o.settings ?? {}) })) },
    (c) => chunks.push(c.slice()),
  );
  w.writePrefix();
  for (const b of blocks) w.writeBlock(b);
  if (o.totals && w.writeTotals) w.writeTotals(o.totals);
  if (o.extremes && w.writeExtremes) w.writeExtremes(o.extremes[0], o.extremes[1]);
  w.writeSuffix({ elapsedSeconds: 0.001, rowsRead: 3, bytesRead: 30 });
  return Buffer.concat(chunks);
}

export function renderOutput(format: string, header: Header, blocks: Block[], o: RenderOptions = {}): string {
  return Buffer.from(renderOutputBytes(format, header, blocks, o)).toString('utf8');
}

/** Parses bytes with an input format, feeding them in chunks of `chunkSize`. */
export function parseInput(
  format: string,
  header: Header,
  data: Uint8Array | string,
  o: { settings?: Record<string, string>; timezone?: string; chunkSize?: number; blockRows?: number } = {},
): Block[] {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const r = getInputFormat(format).createReader(header, {
    timezone: o.timezone ?? 'UTC',
    settings: new Map(Object.entries(o.settings ?? {})),
    blockRows: o.blockRows ?? 65536,
  });
  const out: Block[] = [];
  const step = o.chunkSize ?? bytes.length;
  for (let i = 0; i < bytes.length; i += Math.max(1, step)) out.push(...r.push(bytes.subarray(i, i + Math.max(1, step))));
  // Text and binary readers finish synchronously; only Parquet's end() is asynchronous.
  out.push(...(r.end() as Block[]));
  return out;
}
