/**
 * Child process for the SIGKILL test: opens a stream and inserts blocks in a loop from several concurrent
 * writers, printing `ACK <firstId> <rows> <firstSn>` after each acknowledged insert. The parent kills it at a
 * random moment. Usage: node crash-child.js <dir> <run>
 */
import { Block } from '../../src/core/block.js';
import { NumericColumn, StringColumn } from '../../src/columns/column.js';
import { StreamStorage } from '../../src/storage/engines/stream-storage.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { CRASH_HEADER_SPEC } from './crash-schema.js';


const header = Object.entries(CRASH_HEADER_SPEC).map(([name, t]) => ({ name, type: parseDataType(t) }));

function blockOf(firstId: number, n: number): Block {
  const time = new Float64Array(n);
  const id = new Uint32Array(n);
  const blk = new Uint32Array(n).fill(firstId);
  const size = new Uint32Array(n).fill(n);
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets = new Uint32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    time[i] = Date.now() - (i % 50);
    id[i] = firstId + i;
    const b = enc.encode(`payload-${firstId + i}-${'x'.repeat((firstId + i) % 40)}`);
    parts.push(b);
    at += b.length;
    offsets[i + 1] = at;
  }
  const chars = new Uint8Array(at);
  let p = 0;
  for (const b of parts) {
    chars.set(b, p);
    p += b.length;
  }
  return new Block(header, [new NumericColumn(time), new NumericColumn(id), new NumericColumn(blk), new NumericColumn(size), new StringColumn(chars, offsets)], n);
}

async function main(): Promise<void> {
  const [dir, runArg] = process.argv.slice(2);
  const run = Number(runArg);
  const storage = await StreamStorage.open({
    dir: dir!,
    header,
    sortKey: ['id'],
    partitionOf: (b) => {
      const ids = new Uint32Array(b.rows);
      const col = b.columns[1] as NumericColumn<Uint32Array>;
      for (let i = 0; i < b.rows; i++) ids[i] = col.data[i]! % 2;
      return { ids, values: ['even', 'odd'] };
    },
    commit: { intervalMs: 5, rows: 200, maxBatchRows: 500 },
    merge: { intervalMs: 5, minParts: 3 },
    log: { segmentBytes: 64 * 1024, retentionBytes: 0, retentionMs: 0 },
  });
  process.stdout.write(`READY\n`);
  let counter = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const n = 1 + ((counter * 7919) % 97);
      const firstId = run * 1_000_000 + counter;
      counter += n;
      const r = await storage.insert(blockOf(firstId, n));
      process.stdout.write(`ACK ${firstId} ${n} ${r.firstSn}\n`);
    }
  };
  await Promise.all([writer(), writer(), writer()]);
}

main().catch((e: unknown) => {
  process.stderr.write(`child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
