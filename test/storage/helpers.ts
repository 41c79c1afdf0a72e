import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { parseDataType } from '../../src/types/type-factory.js';

export function tempDir(prefix = 'hadron-storage-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function header(spec: Record<string, string>): Header {
  return Object.entries(spec).map(([name, t]) => ({ name, type: parseDataType(t) }));
}

/** A block from columns of values: makeBlock(h, { a: [1, 2], s: ['x', 'y'] }). */
export function makeBlock(h: Header, cols: Record<string, readonly Value[]>): Block {
  const rows = Object.values(cols)[0]?.length ?? 0;
  return new Block(
    h,
    h.map((c) => columnFromValues(c.type, cols[c.name] ?? [])),
    rows,
  );
}

export async function collect(it: AsyncIterable<Block>): Promise<Block[]> {
  const out: Block[] = [];
  for await (const b of it) out.push(b);
  return out;
}

export async function allRows(it: AsyncIterable<Block>): Promise<Value[][]> {
  const out: Value[][] = [];
  for await (const b of it) out.push(...b.toRows());
  return out;
}

/** Polls `pred` until true or the deadline passes. */
export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Deterministic PRNG (xorshift32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}
