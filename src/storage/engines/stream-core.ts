import * as path from 'node:path';
import { concatBlocks, type Block, type Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { readCheckpoint, writeCheckpoint } from '../log/checkpoint.js';
import { WriteAheadLog } from '../log/write-ahead-log.js';
import type { PartMeta } from '../parts/part-meta.js';
import { PartReader } from '../parts/part-reader.js';
import { type PartLayout, writeSortedParts } from '../parts/write-parts.js';
import { AsyncMutex } from './async-mutex.js';
import { loadParts } from './load-parts.js';
import { type ActivePart, PartSet } from './part-set.js';
import { SchemaStore } from './schema-store.js';
import type { StreamStorageOptions } from './storage-options.js';

export const LOG_DIR = 'log';
export const PARTS_DIR = 'parts';
export const CHECKPOINT_FILE = 'checkpoint.json';
export const SCHEMA_FILE = 'schema.json';

/** What a reader sees: a consistent set of parts and the log range above them. Release it when done. */
export interface StreamSnapshot {
  readonly parts: readonly ActivePart[];
  /** Highest sequence number in the parts; the log supplies (committedSn, lastSn]. */
  readonly committedSn: number;
  readonly lastSn: number;
  release(): void;
}

/**
 * A stream's state: the write-ahead log, the active parts and the committed sequence number that divides them,
 * plus the commit step that moves log records into parts. The invariant every reader relies on: rows with
 * sn <= committedSn are in the active parts, rows in (committedSn, lastSn] are in the log; the part set and
 * committedSn change together in one synchronous step, after the checkpoint recording them is durable.
 */
export class StreamCore {
  readonly mutex = new AsyncMutex();
  readonly parts: PartSet;
  readonly partsDir: string;
  readonly checkpointFile: string;
  readonly timeColumn: string;
  committedSn = -1;
  minVisibleSn = 0;
  header: Header;
  layout: PartLayout;
  /** ALTER conversions for log records written with an older schema version (this process only). */
  readonly converters = new Map<number, (block: Block) => Block>();

  private constructor(
    readonly opts: StreamStorageOptions,
    readonly wal: WriteAheadLog,
    readonly schema: SchemaStore,
  ) {
    this.header = opts.header;
    this.partsDir = path.join(opts.dir, PARTS_DIR);
    this.checkpointFile = path.join(opts.dir, CHECKPOINT_FILE);
    this.timeColumn = opts.timeColumn ?? '_tp_time';
    this.parts = new PartSet((e) => opts.logger?.warn(`cannot remove an obsolete part: ${e.message}`));
    this.layout = this.layoutFor(opts.header);
  }

  static async open(opts: StreamStorageOptions): Promise<StreamCore> {
    const { promises: fsp } = await import('node:fs');
    await fsp.mkdir(opts.dir, { recursive: true });
    const schema = await SchemaStore.open(path.join(opts.dir, SCHEMA_FILE), opts.header);
    const cp = await readCheckpoint(path.join(opts.dir, CHECKPOINT_FILE));
    const wal = await WriteAheadLog.open({
      dir: path.join(opts.dir, LOG_DIR),
      headerOf: (v) => schema.headerOf(v),
      schemaVersion: schema.version,
      timeColumn: opts.timeColumn,
      durability: opts.durability,
      segmentBytes: opts.log?.segmentBytes,
      retentionMs: opts.log?.retentionMs,
      retentionBytes: opts.log?.retentionBytes,
      cacheBytes: opts.log?.cacheBytes,
      startSn: cp.committedSn + 1,
      logger: opts.logger,
    });
    try {
      const core = new StreamCore(opts, wal, schema);
      core.committedSn = cp.committedSn;
      core.minVisibleSn = cp.minVisibleSn;
      wal.setCommittedSn(cp.committedSn);
      core.parts.replace([], await loadParts(core.partsDir, cp, opts.logger));
      return core;
    } catch (e) {
      await wal.close();
      throw e;
    }
  }

  layoutFor(header: Header): PartLayout {
    const names = new Set(header.map((c) => c.name));
    const sortKey = this.opts.sortKey ?? (names.has(this.timeColumn) ? [this.timeColumn] : []);
    for (const k of sortKey) if (!names.has(k)) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Sorting key column ${k} is not in the table`);
    const indexColumns = [...sortKey, ...(names.has(this.timeColumn) ? [this.timeColumn] : [])];
    const keyed = this.opts.keyed;
    // A key's rows are adjacent in a part only when the part is sorted by exactly that key.
    const compact = keyed && sameNames(keyed.key, sortKey) && names.has(keyed.version) && names.has(keyed.delta) ? keyed : undefined;
    return {
      compact,
      partsDir: this.partsDir,
      header,
      sortKey,
      indexColumns: [...new Set(indexColumns)],
      partitionOf: this.opts.partitionOf,
      granuleRows: this.opts.parts?.granuleRows,
      blockRows: this.opts.parts?.blockRows,
      codec: this.opts.parts?.codec,
    };
  }

  /** Rows acknowledged but not yet in parts. */
  get logRows(): number {
    return this.wal.lastSn - Math.max(this.committedSn, this.minVisibleSn - 1);
  }

  snapshot(): StreamSnapshot {
    const parts = this.parts.acquire();
    const committedSn = Math.max(this.committedSn, this.minVisibleSn - 1);
    const lastSn = this.wal.lastSn;
    const unpin = this.wal.pin(committedSn + 1);
    let released = false;
    return {
      parts,
      committedSn,
      lastSn,
      release: () => {
        if (released) return;
        released = true;
        this.parts.release(parts);
        unpin();
      },
    };
  }

  readerFor(meta: PartMeta): PartReader {
    return new PartReader(path.join(this.partsDir, meta.name), meta);
  }

  /** The mutation version for a rewritten part: above every existing one, so the rewrite covers its source. */
  nextMutation(): number {
    let m = 0;
    for (const p of this.parts.list()) m = Math.max(m, p.meta.mutation);
    return m + 1;
  }

  /**
   * Commits up to `maxRows` rows of the log tail into parts (one per partition). Caller holds the mutex.
   * Returns true when more rows wait.
   */
  async commitOnce(maxRows: number, toSn = this.wal.lastSn): Promise<boolean> {
    const from = Math.max(this.committedSn, this.minVisibleSn - 1) + 1;
    if (toSn < from) return false;
    const blocks: Block[] = [];
    let rows = 0;
    let last = from - 1;
    for await (const rec of this.wal.readFrom(from, { toSn })) {
      blocks.push(this.upgrade(rec.block, rec.schemaVersion));
      rows += rec.block.rows;
      last = rec.lastSn;
      if (rows >= maxRows) break;
    }
    if (last < from) return false;
    const metas = rows > 0 ? await writeSortedParts(concatBlocks(this.header, blocks), this.layout, { minSn: from, maxSn: last, level: 0, mutation: 0 }) : [];
    await writeCheckpoint(this.checkpointFile, { committedSn: last, minVisibleSn: this.minVisibleSn });
    // The swap: parts and committedSn change together, synchronously.
    this.parts.replace([], metas.map((m) => this.readerFor(m)));
    this.committedSn = last;
    this.wal.setCommittedSn(last);
    return last < toSn;
  }

  /** Commits everything acknowledged so far. Caller holds the mutex. */
  async commitAll(): Promise<void> {
    const target = this.wal.lastSn;
    const batch = this.opts.commit?.maxBatchRows ?? 1 << 20;
    while (await this.commitOnce(batch, target));
  }

  /** A log block written under an older schema version, converted by the ALTERs of this process. */
  upgrade(block: Block, version: number): Block {
    let v = version;
    let b = block;
    while (v < this.schema.version) {
      const conv = this.converters.get(v);
      if (!conv) {
        throw new DbError('LOGICAL_ERROR', `Log records of schema version ${v} cannot be converted to version ${this.schema.version}; they predate an ALTER of an earlier run`);
      }
      b = conv(b);
      v++;
    }
    return b;
  }

  /** Writes the checkpoint (committedSn unchanged). */
  async saveCheckpoint(): Promise<void> {
    await writeCheckpoint(this.checkpointFile, { committedSn: this.committedSn, minVisibleSn: this.minVisibleSn });
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
