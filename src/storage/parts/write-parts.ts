import type { Block, Header } from '../../core/block.js';
import * as path from 'node:path';
import { removeDirAtomic } from '../fs-util.js';
import type { PartCodec } from './part-compression.js';
import type { PartMeta } from './part-meta.js';
import { partitionIdOf } from './part-name.js';
import { PartWriter } from './part-writer.js';
import { type PartitionFn, splitByPartition } from './partitioning.js';
import { sortBlock } from './sort-block.js';
import { compactPerKey, type KeyCompaction } from './key-compaction.js';

/** How a stream lays out its parts: where, which columns, ORDER BY, PARTITION BY, granularity, codec. */
export interface PartLayout {
  readonly partsDir: string;
  readonly header: Header;
  /** ORDER BY as physical column names (the engine materializes expression keys as columns beforehand). */
  readonly sortKey: readonly string[];
  /** Columns with a per-granule min/max index: the sort key plus the event-time column. */
  readonly indexColumns: readonly string[];
  readonly partitionOf?: PartitionFn;
  readonly granuleRows?: number;
  readonly blockRows?: number;
  readonly codec?: PartCodec;
  /** Key-value streams: a part keeps one state per key (the sort key is the primary key). */
  readonly compact?: KeyCompaction;
}

/** A block sorted by the layout's key, with a key-value stream's superseded rows dropped. */
export function sortedForPart(block: Block, layout: PartLayout): Block {
  const sorted = sortBlock(block, layout.sortKey);
  return layout.compact ? compactPerKey(sorted, layout.compact) : sorted;
}

export interface PartRange {
  readonly minSn: number;
  readonly maxSn: number;
  readonly level: number;
  readonly mutation: number;
}

/** Writes one part per partition of an already sorted block (the partition is given). */
export async function writePart(block: Block, layout: PartLayout, range: PartRange, partition: string): Promise<PartMeta> {
  const w = await PartWriter.create({
    ...range,
    partsDir: layout.partsDir,
    header: layout.header,
    partition,
    partitionId: partitionIdOf(partition),
    sortKey: layout.sortKey,
    indexColumns: layout.indexColumns,
    granuleRows: layout.granuleRows,
    blockRows: layout.blockRows,
    codec: layout.codec,
  });
  try {
    await w.write(block);
  } catch (e) {
    await w.abort();
    throw e;
  }
  return w.finish();
}

/**
 * Splits a batch by partition, sorts each by the key (compacting key-value streams: a partition whose rows all
 * cancel out gets no part), and writes one part per partition, all covering the same sequence-number range.
 * On failure, parts already renamed into place are removed again.
 */
export async function writeSortedParts(block: Block, layout: PartLayout, range: PartRange): Promise<PartMeta[]> {
  const done: PartMeta[] = [];
  try {
    for (const { value, block: slice } of splitByPartition(block, layout.partitionOf)) {
      const rows = sortedForPart(slice, layout);
      if (rows.rows) done.push(await writePart(rows, layout, range, value));
    }
  } catch (e) {
    for (const m of done) await removeDirAtomic(path.join(layout.partsDir, m.name)).catch(() => undefined);
    throw e;
  }
  return done;
}
