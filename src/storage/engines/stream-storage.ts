import { promises as fsp } from 'node:fs';
import type { Block, Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { WriteAheadLog } from '../log/write-ahead-log.js';
import type { InsertResult, PartInfo, StorageStats, TableStorage, TailOptions } from '../table-storage.js';
import { tailStream } from './stream-tail.js';
import { StreamBackground } from './stream-background.js';
import { StreamCore } from './stream-core.js';
import * as maintenance from './stream-maintenance.js';
import { readStream, type StreamReadOptions } from './stream-read.js';
import type { StreamStorageOptions } from './storage-options.js';

/**
 * Storage of a Proton stream or a ClickHouse MergeTree / ReplacingMergeTree table: a write-ahead log in front
 * of immutable columnar parts. An insert is acknowledged once its log record is durable; a background
 * committer moves log records into sorted, partitioned parts; reads see parts plus the log tail. See
 * src/storage/README.md.
 */
export class StreamStorage implements TableStorage {
  private readonly background: StreamBackground;
  private closed = false;

  private constructor(private readonly core: StreamCore) {
    this.background = new StreamBackground(core);
  }

  static async open(options: StreamStorageOptions): Promise<StreamStorage> {
    const s = new StreamStorage(await StreamCore.open(options));
    s.background.start();
    return s;
  }

  get header(): Header {
    return this.core.header;
  }

  /** The write-ahead log, for streaming reads: readFrom(sn), waitForSn(sn, signal), onAppend(listener). */
  get log(): WriteAheadLog {
    return this.core.wal;
  }

  /** Highest sequence number committed to parts. */
  get committedSn(): number {
    return this.core.committedSn;
  }

  /** The background error of the last failed commit/merge/TTL pass, if any. */
  get backgroundError(): Error | undefined {
    return this.background.lastError;
  }

  async insert(block: Block): Promise<InsertResult> {
    if (this.closed) throw new DbError('TABLE_IS_DROPPED', 'The stream storage is closed');
    const h = this.core.header;
    if (block.header.length !== h.length || block.header.some((c, i) => c.name !== h[i]!.name)) {
      throw new DbError('INCORRECT_NUMBER_OF_COLUMNS', `Insert block columns (${block.header.map((c) => c.name).join(', ')}) do not match the table (${h.map((c) => c.name).join(', ')})`);
    }
    const r = await this.core.wal.append(block);
    this.background.kickCommit();
    return { firstSn: BigInt(r.firstSn), lastSn: BigInt(r.lastSn), rows: block.rows };
  }

  read(options: StreamReadOptions): AsyncIterable<Block> {
    return readStream(this.core, options);
  }

  tail(options: TailOptions): AsyncIterable<Block> {
    return tailStream(this.core, options);
  }

  truncate(): Promise<void> {
    return this.core.mutex.run(() => maintenance.truncate(this.core));
  }

  optimize(final: boolean): Promise<void> {
    return this.core.mutex.run(() => maintenance.optimize(this.core, final));
  }

  deleteWhere(predicate: (block: Block) => Uint8Array): Promise<number> {
    return this.core.mutex.run(() => maintenance.deleteWhere(this.core, predicate));
  }

  alterColumns(newHeader: Header, convert: (block: Block) => Block): Promise<void> {
    return this.core.mutex.run(() => maintenance.alterColumns(this.core, newHeader, convert));
  }

  /** Commits the whole log tail to parts now. */
  commitNow(): Promise<void> {
    return this.core.mutex.run(() => this.core.commitAll());
  }

  /** Runs one round of background merges now; returns how many merges ran. */
  mergeNow(): Promise<number> {
    return this.core.mutex.run(() => maintenance.mergeRound(this.core, Infinity));
  }

  /** Runs a TTL pass now; returns how many rows expired. */
  applyTtlNow(): Promise<number> {
    return this.core.mutex.run(() => maintenance.applyTtl(this.core));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.background.stop();
    try {
      await this.core.mutex.run(() => this.core.commitAll());
    } finally {
      await this.core.wal.close();
      await this.core.parts.settle();
    }
  }

  async drop(): Promise<void> {
    this.closed = true;
    await this.background.stop();
    await this.core.wal.close();
    await this.core.parts.settle();
    await fsp.rm(this.core.opts.dir, { recursive: true, force: true });
  }

  stats(): StorageStats {
    let rows = 0;
    let bytes = 0;
    let parts = 0;
    for (const p of this.core.parts.list()) {
      rows += p.meta.rows;
      bytes += p.meta.bytesOnDisk;
      if (p.meta.rows > 0) parts++;
    }
    const logRows = Math.max(0, this.core.logRows);
    return { rows: rows + logRows, bytes: bytes + this.core.wal.sizeBytes, parts, logRows };
  }

  parts(): PartInfo[] {
    return this.core.parts
      .list()
      .filter((p) => p.meta.rows > 0)
      .map((p) => ({
        name: p.meta.name,
        partition: p.meta.partition,
        rows: p.meta.rows,
        bytesOnDisk: p.meta.bytesOnDisk,
        minSn: BigInt(p.meta.minSn),
        maxSn: BigInt(p.meta.maxSn),
        level: p.meta.level,
        modificationTimeMs: p.meta.createdMs,
        active: true,
      }));
  }
}
