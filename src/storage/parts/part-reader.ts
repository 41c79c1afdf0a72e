import { promises as fsp, type promises } from 'node:fs';
import * as path from 'node:path';
import { Block, concatBlocks, type ColumnInfo } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { defaultColumn } from '../../columns/ops.js';
import { DbError } from '../../errors/index.js';
import type { RangeHint } from '../table-storage.js';
import { decodeColumn } from '../codec/column-decoder.js';
import { checkSignal, fsError, readAt } from '../fs-util.js';
import { selectGranules } from './granule-index.js';
import { decompressBlock } from './part-compression.js';
import { columnBlockCache } from './column-cache.js';
import type { PartMeta } from './part-meta.js';

let readerCount = 0;

/** Counters a scan fills in (EXPLAIN / tests: how much the index saved). */
export interface PartReadStats {
  granulesTotal: number;
  granulesSkipped: number;
  blocksRead: number;
  partsSkipped: number;
}

export function newReadStats(): PartReadStats {
  return { granulesTotal: 0, granulesSkipped: 0, blocksRead: 0, partsSkipped: 0 };
}

export interface PartReadOptions {
  readonly ranges?: readonly RangeHint[];
  readonly signal?: AbortSignal;
  readonly stats?: PartReadStats;
}

/**
 * Reads the requested columns of a part, one compressed block (~64K rows) at a time, skipping granules whose
 * min/max fall outside the range hints. A column the part lacks (added by ALTER without a rewrite) reads as
 * the type's default.
 */
export class PartReader {
  /** Identifies this loaded part in the block cache: a part directory can be rewritten under the same name. */
  private readonly cacheId = `${++readerCount}:`;

  constructor(
    readonly dir: string,
    readonly meta: PartMeta,
  ) {}

  get granules(): number {
    return Math.ceil(this.meta.rows / this.meta.granuleRows);
  }

  /** Granules to read (1 = read), or undefined for all. */
  granuleMask(ranges: readonly RangeHint[] | undefined): Uint8Array | undefined {
    return selectGranules(this.meta.index, this.granules, ranges);
  }

  async *read(columns: readonly ColumnInfo[], opts: PartReadOptions = {}): AsyncGenerator<Block> {
    const { meta } = this;
    const granules = this.granules;
    const mask = this.granuleMask(opts.ranges);
    const stats = opts.stats;
    if (stats) stats.granulesTotal += granules;
    if (mask && !mask.includes(1)) {
      if (stats) {
        stats.granulesSkipped += granules;
        stats.partsSkipped++;
      }
      return;
    }
    // Column files are opened on the first block the cache does not hold.
    const files = new Map<string, promises.FileHandle>();
    try {
      const perBlock = meta.blockRows / meta.granuleRows;
      const blocks = Math.ceil(meta.rows / meta.blockRows);
      for (let b = 0; b < blocks; b++) {
        checkSignal(opts.signal);
        const g0 = b * perBlock;
        const g1 = Math.min(granules, g0 + perBlock);
        const blockStart = b * meta.blockRows;
        const blockRows = Math.min(meta.blockRows, meta.rows - blockStart);
        // Row ranges (relative to the block) of the selected granules, merged when adjacent.
        const runs: [number, number][] = [];
        for (let g = g0; g < g1; g++) {
          if (mask && !mask[g]) {
            if (stats) stats.granulesSkipped++;
            continue;
          }
          const s = (g - g0) * meta.granuleRows;
          const e = Math.min(blockRows, s + meta.granuleRows);
          const last = runs[runs.length - 1];
          if (last && last[1] === s) last[1] = e;
          else runs.push([s, e]);
        }
        if (runs.length === 0) continue;
        const cols = await Promise.all(columns.map((c) => this.readColumnBlock(files, c, b, blockRows)));
        if (stats) stats.blocksRead++;
        const block = new Block(columns, cols, blockRows);
        if (runs.length === 1 && runs[0]![0] === 0 && runs[0]![1] === blockRows) yield block;
        else yield concatBlocks(columns, runs.map(([s, e]) => block.slice(s, e)));
      }
    } finally {
      for (const f of files.values()) await f.close();
    }
  }

  private async readColumnBlock(files: Map<string, promises.FileHandle>, c: ColumnInfo, b: number, rows: number): Promise<Column> {
    const cm = this.meta.columns.find((m) => m.name === c.name);
    if (!cm) return defaultColumn(c.type, rows);
    if (cm.type !== c.type.name) {
      throw new DbError('TYPE_MISMATCH', `Part ${this.meta.name} stores column ${c.name} as ${cm.type}, not ${c.type.name}`);
    }
    const key = `${this.cacheId}${cm.file}#${b}`;
    const cached = columnBlockCache.get(key);
    if (cached) return cached;
    const start = cm.marks[b]!;
    const length = cm.marks[b + 1]! - start;
    const where = `part ${this.meta.name}, column ${c.name}, block ${b}`;
    let fh = files.get(cm.name);
    if (!fh) {
      try {
        fh = await fsp.open(path.join(this.dir, cm.file), 'r');
      } catch (e) {
        throw fsError(e, `cannot open part ${this.meta.name}`);
      }
      files.set(cm.name, fh);
    }
    const raw = await readAt(fh, start, length);
    if (raw.length !== length) throw new DbError('CORRUPTED_DATA', `${where}: file is truncated`);
    const col = decodeColumn(decompressBlock(raw, 0, length, where));
    if (col.length !== rows) throw new DbError('CORRUPTED_DATA', `${where}: ${col.length} rows, expected ${rows}`);
    columnBlockCache.put(key, col);
    return col;
  }
}
