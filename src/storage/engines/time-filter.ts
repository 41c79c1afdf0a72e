import type { Block } from '../../core/block.js';
import { materialize } from '../../columns/ops.js';

/** Rows of `block` whose time column (in its storage unit) is at least `min`. */
export function filterByTime(block: Block, column: string, min: number): Block {
  const i = block.header.findIndex((c) => c.name === column);
  if (i < 0) return block;
  const data = (materialize(block.columns[i]!) as { data: ArrayLike<number> }).data;
  const mask = new Uint8Array(block.rows);
  let kept = 0;
  for (let r = 0; r < block.rows; r++) if (Number(data[r]) >= min) (mask[r] = 1), kept++;
  return kept === block.rows ? block : block.filter(mask, kept);
}
