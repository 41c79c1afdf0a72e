import type { Block } from '../../core/block.js';
import { DbError } from '../../errors/index.js';

/**
 * How the engine tells storage which partition each row belongs to (PARTITION BY). `values[ids[row]]` is the
 * row's partition value as text (ClickHouse prints it in system.parts.partition, e.g. `20240101` or
 * `('a', 3)`); storage derives a file-name-safe partition id from it (part-name.ts). The engine evaluates the
 * PARTITION BY expression over the full-header block; storage never interprets the value.
 */
export interface PartitionAssignment {
  /** Per row, an index into `values`. */
  readonly ids: Uint32Array;
  readonly values: readonly string[];
}

export type PartitionFn = (block: Block) => PartitionAssignment;

/** Unpartitioned tables use one partition, `all` (like ClickHouse's partition id for no PARTITION BY). */
export const NO_PARTITION = 'all';

export interface PartitionSlice {
  readonly value: string;
  readonly block: Block;
}

/** Splits a block by partition, keeping row order within each partition. */
export function splitByPartition(block: Block, partitionOf: PartitionFn | undefined): PartitionSlice[] {
  if (!partitionOf || block.rows === 0) return block.rows === 0 ? [] : [{ value: NO_PARTITION, block }];
  const { ids, values } = partitionOf(block);
  if (ids.length !== block.rows) {
    throw new DbError('LOGICAL_ERROR', `partitionOf returned ${ids.length} ids for ${block.rows} rows`);
  }
  const counts = new Uint32Array(values.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= values.length) throw new DbError('LOGICAL_ERROR', `partition id ${id} out of range`);
    counts[id]!++;
  }
  // Several ids may carry the same value (the engine need not dedupe): group by value.
  const byValue = new Map<string, number[]>();
  values.forEach((v, id) => {
    if (counts[id]! === 0) return;
    const list = byValue.get(v);
    if (list) list.push(id);
    else byValue.set(v, [id]);
  });
  if (byValue.size === 1) return [{ value: byValue.keys().next().value!, block }];
  const out: PartitionSlice[] = [];
  for (const [value, idList] of byValue) {
    const want = new Uint8Array(values.length);
    let n = 0;
    for (const id of idList) {
      want[id] = 1;
      n += counts[id]!;
    }
    const idx = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < ids.length; i++) if (want[ids[i]!]) idx[k++] = i;
    out.push({ value, block: block.take(idx) });
  }
  return out;
}
