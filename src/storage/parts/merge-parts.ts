import { type Block, concatBlocks } from '../../core/block.js';
import type { PartMeta } from './part-meta.js';
import type { PartReader } from './part-reader.js';
import { replacingDedup, sortBlock } from './sort-block.js';
import { type PartLayout, writePart } from './write-parts.js';
import { compactPerKey } from './key-compaction.js';

export interface MergeOptions {
  readonly layout: PartLayout;
  /** ReplacingMergeTree: keep one row per sorting key (highest version, else last inserted). */
  readonly replacing?: { readonly versionColumn?: string };
  /** Rows to drop (mask byte 1), e.g. TTL-expired rows; gets a full-header block. */
  readonly drop?: (block: Block) => Uint8Array | undefined;
  /** Level of the result (default: max source level + 1). */
  readonly level?: number;
  /** Mutation version of the result (default: max of the sources). */
  readonly mutation?: number;
  /** Rewrites the merged rows before writing (ALTER conversions); gets and returns a full-header block. */
  readonly transform?: (block: Block) => Block;
  /** Where and how the result is written when it differs from `layout` (ALTER: the new header). */
  readonly writeLayout?: PartLayout;
  readonly signal?: AbortSignal;
}

export interface MergeResult {
  /** The new part, or null when no row survived. */
  readonly part: PartMeta | null;
  readonly rowsIn: number;
  readonly rowsOut: number;
}

/**
 * Merges parts of one partition (ordered by minSn, contiguous in sequence numbers) into one part covering
 * their whole range: rows are re-sorted by the key (stable, so insertion order breaks ties), deduplicated for
 * ReplacingMergeTree, compacted per key for key-value streams, and filtered by `drop`. Also used for
 * single-part mutations (DELETE, TTL, ALTER).
 * Sources are read fully into memory.
 */
export async function mergeParts(sources: readonly PartReader[], opts: MergeOptions): Promise<MergeResult> {
  const { layout } = opts;
  const blocks: Block[] = [];
  let rowsIn = 0;
  for (const src of sources) {
    for await (const b of src.read(layout.header, { signal: opts.signal })) {
      blocks.push(b);
      rowsIn += b.rows;
    }
  }
  let block = concatBlocks(layout.header, blocks).materialized();
  if (opts.transform) block = opts.transform(block).materialized();
  const target = opts.writeLayout ?? layout;
  const sortKey = target.sortKey;
  if (sources.length > 1 || opts.transform) block = sortBlock(block, sortKey);
  if (target.compact) block = compactPerKey(block, target.compact);
  if (opts.replacing) block = replacingDedup(block, sortKey, opts.replacing.versionColumn);
  if (opts.drop && block.rows > 0) {
    const mask = opts.drop(block);
    if (mask) {
      const keepMask = new Uint8Array(block.rows);
      let n = 0;
      for (let i = 0; i < block.rows; i++) if (!mask[i]) (keepMask[i] = 1), n++;
      block = block.filter(keepMask, n);
    }
  }
  const first = sources[0]!.meta;
  const part =
    block.rows === 0
      ? null
      : await writePart(
          block,
          opts.writeLayout ?? layout,
          {
            minSn: Math.min(...sources.map((s) => s.meta.minSn)),
            maxSn: Math.max(...sources.map((s) => s.meta.maxSn)),
            level: opts.level ?? Math.max(...sources.map((s) => s.meta.level)) + 1,
            mutation: opts.mutation ?? Math.max(...sources.map((s) => s.meta.mutation)),
          },
          first.partition,
        );
  return { part, rowsIn, rowsOut: block.rows };
}
