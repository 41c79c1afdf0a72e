import { Block, concatBlocks, type ColumnInfo, type Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { RangeHint, ReadOptions } from '../table-storage.js';
import type { PartReadStats } from '../parts/part-reader.js';
import { partitionIdOf } from '../parts/part-name.js';
import { splitByPartition } from '../parts/partitioning.js';
import { replacingDedup } from '../parts/sort-block.js';
import type { StreamCore, StreamSnapshot } from './stream-core.js';

export interface StreamReadOptions extends ReadOptions {
  /** Filled with granule/part skipping counters. */
  readonly stats?: PartReadStats;
  /** Called once the read's snapshot is taken, with the last sequence number it covers (streaming hand-over). */
  readonly onSnapshot?: (lastSn: number) => void;
}

export const DEFAULT_BLOCK_ROWS = 65536;

export function resolveColumns(header: Header, names: readonly string[]): ColumnInfo[] {
  return names.map((n) => {
    const c = header.find((h) => h.name === n);
    if (!c) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${n} in the table`);
    return c;
  });
}

/** The block's columns `cols`, by name, in that order. */
export function projectColumns(block: Block, cols: readonly ColumnInfo[]): Block {
  return new Block(
    cols,
    cols.map((c) => {
      const i = block.header.findIndex((h) => h.name === c.name);
      if (i < 0) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${c.name} in the block`);
      return block.columns[i]!;
    }),
    block.rows,
  );
}

/** Re-cuts a stream of blocks into blocks of `target` rows (the last may be shorter). */
export async function* rechunk(src: AsyncIterable<Block>, header: Header, target: number): AsyncGenerator<Block> {
  let pending: Block[] = [];
  let rows = 0;
  for await (const b of src) {
    if (b.rows === 0) continue;
    // Blocks near the target size pass untouched: re-slicing 65,536-row part blocks to 65,409 rows copies everything.
    if (rows === 0 && b.rows <= target * 2 && b.rows * 2 >= target) {
      yield b; // already a good size
      continue;
    }
    pending.push(b);
    rows += b.rows;
    if (rows < target) continue;
    const all = concatBlocks(header, pending);
    let at = 0;
    for (; all.rows - at >= target; at += target) yield all.slice(at, at + target);
    pending = at < all.rows ? [all.slice(at, all.rows)] : [];
    rows = all.rows - at;
  }
  if (rows > 0) yield concatBlocks(header, pending);
}

function recordOutside(hint: RangeHint | undefined, minTime: number, maxTime: number): boolean {
  if (!hint || Number.isNaN(minTime)) return false;
  return (hint.min !== undefined && maxTime < hint.min) || (hint.max !== undefined && minTime > hint.max);
}

/** Parts, then the log tail above the snapshot's committed sequence number. */
async function* readPlain(core: StreamCore, snap: StreamSnapshot, cols: ColumnInfo[], o: StreamReadOptions): AsyncGenerator<Block> {
  for (const p of snap.parts) {
    if (p.meta.rows === 0) continue;
    yield* p.reader.read(cols, { ranges: o.ranges, signal: o.signal, stats: o.stats });
  }
  const timeHint = o.ranges?.find((r) => r.column === core.timeColumn);
  for await (const rec of core.wal.readFrom(snap.committedSn + 1, { toSn: snap.lastSn, signal: o.signal })) {
    if (recordOutside(timeHint, rec.minTime, rec.maxTime)) continue;
    yield projectColumns(core.upgrade(rec.block, rec.schemaVersion), cols);
  }
}

/**
 * FINAL for ReplacingMergeTree: per partition, rows from parts (oldest first) and the log tail are merged and
 * deduplicated by the sorting key. Only hints on sort-key columns prune (pruning on another column could hide
 * the newest version of a row and resurrect an older one).
 */
async function* readFinal(core: StreamCore, snap: StreamSnapshot, cols: ColumnInfo[], o: StreamReadOptions): AsyncGenerator<Block> {
  const { sortKey } = core.layout;
  const version = core.opts.replacing?.versionColumn;
  const needNames = [...new Set([...cols.map((c) => c.name), ...sortKey, ...(version ? [version] : [])])];
  const need = resolveColumns(core.header, needNames);
  const ranges = o.ranges?.filter((r) => sortKey.includes(r.column));
  const groups = new Map<string, Block[]>();
  const add = (pid: string, b: Block): void => {
    const g = groups.get(pid);
    if (g) g.push(b);
    else groups.set(pid, [b]);
  };
  for (const p of snap.parts) {
    if (p.meta.rows === 0) continue;
    for await (const b of p.reader.read(need, { ranges, signal: o.signal, stats: o.stats })) add(p.meta.partitionId, b);
  }
  for await (const rec of core.wal.readFrom(snap.committedSn + 1, { toSn: snap.lastSn, signal: o.signal })) {
    const full = core.upgrade(rec.block, rec.schemaVersion);
    for (const { value, block } of splitByPartition(full, core.opts.partitionOf)) add(partitionIdOf(value), projectColumns(block, need));
  }
  for (const blocks of groups.values()) {
    const merged = replacingDedup(concatBlocks(need, blocks), sortKey, version);
    yield projectColumns(merged, cols);
  }
}

/** A bounded read of a stream: everything acknowledged when the read starts, no duplicates, no gaps. */
export async function* readStream(core: StreamCore, o: StreamReadOptions): AsyncGenerator<Block> {
  const cols = resolveColumns(core.header, o.columns);
  const snap = core.snapshot();
  o.onSnapshot?.(snap.lastSn);
  try {
    const src = o.final && core.opts.replacing ? readFinal(core, snap, cols, o) : readPlain(core, snap, cols, o);
    yield* rechunk(src, cols, o.blockRows ?? DEFAULT_BLOCK_ROWS);
  } finally {
    snap.release();
  }
}
