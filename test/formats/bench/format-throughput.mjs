// Format throughput: 10M rows of (DateTime, String, UInt32, Float64, UInt8) in 64K-row blocks.
// Build first (emits JS even if other folders have type errors):
//   npx tsc -p tsconfig.json --outDir /tmp/hadron-dist && node test/formats/bench/format-throughput.mjs /tmp/hadron-dist
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { getOutputFormat, getInputFormat } = await load('src/formats/registry.js');
const { Block } = await load('src/core/block.js');
const { NumericColumn, StringColumn } = await load('src/columns/column.js');
const { parseDataType } = await load('src/types/type-factory.js');

const TOTAL = Number(process.env.ROWS ?? 10_000_000);
const BLOCK = 65536;
const header = [
  { name: 'ts', type: parseDataType('DateTime') },
  { name: 'name', type: parseDataType('String') },
  { name: 'id', type: parseDataType('UInt32') },
  { name: 'value', type: parseDataType('Float64') },
  { name: 'flag', type: parseDataType('UInt8') },
];

function makeBlock(offset, rows) {
  const ts = new Uint32Array(rows);
  const id = new Uint32Array(rows);
  const value = new Float64Array(rows);
  const flag = new Uint8Array(rows);
  const enc = new TextEncoder();
  const names = ['alpha', 'beta', 'gamma', 'delta-epsilon', 'user_12345', 'ü-text'].map((s) => enc.encode(s));
  const chars = new Uint8Array(rows * 16);
  const offsets = new Uint32Array(rows + 1);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const r = offset + i;
    ts[i] = 1_700_000_000 + r;
    id[i] = r * 7;
    value[i] = (r % 1000) / 8 + (r % 3) * 0.1;
    flag[i] = r & 1;
    const n = names[r % names.length];
    chars.set(n, at);
    at += n.length;
    offsets[i + 1] = at;
  }
  return new Block(
    header,
    [new NumericColumn(ts), new StringColumn(chars.subarray(0, at), offsets), new NumericColumn(id), new NumericColumn(value), new NumericColumn(flag)],
    rows,
  );
}

const blocks = [];
for (let off = 0; off < TOTAL; off += BLOCK) blocks.push(makeBlock(off, Math.min(BLOCK, TOTAL - off)));
const options = { timezone: 'UTC', settings: new Map() };

function output(name) {
  const chunks = [];
  let bytes = 0;
  const t0 = performance.now();
  const w = getOutputFormat(name).createWriter(header, options, (c) => {
    chunks.push(c);
    bytes += c.length;
  });
  w.writePrefix();
  for (const b of blocks) w.writeBlock(b);
  w.writeSuffix({ elapsedSeconds: 0, rowsRead: 0, bytesRead: 0 });
  const s = (performance.now() - t0) / 1000;
  console.log(`${name.padEnd(22)} out ${(TOTAL / s / 1e6).toFixed(2)} M rows/s  ${(bytes / s / 1e6).toFixed(0)} MB/s  (${(bytes / 1e6).toFixed(0)} MB)`);
  return chunks;
}

function input(name, chunks) {
  const t0 = performance.now();
  const r = getInputFormat(name).createReader(header, { ...options, blockRows: BLOCK });
  let rows = 0;
  // Feed 64 KB network-sized pieces.
  for (const c of chunks) {
    for (let i = 0; i < c.length; i += 65536) for (const b of r.push(c.subarray(i, i + 65536))) rows += b.rows;
  }
  for (const b of r.end()) rows += b.rows;
  const s = (performance.now() - t0) / 1000;
  if (rows !== TOTAL) throw new Error(`${name}: ${rows} rows`);
  console.log(`${name.padEnd(22)} in  ${(TOTAL / s / 1e6).toFixed(2)} M rows/s`);
}

const which = (process.env.FORMATS ?? 'TabSeparated,CSV,JSONEachRow,RowBinary,Native').split(',');
for (const f of which) {
  const chunks = output(f);
  try {
    input(f, chunks);
  } catch (e) {
    console.log(`${f} input: ${e.message}`);
  }
}
