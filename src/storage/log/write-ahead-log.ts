import { promises as fsp, type promises } from 'node:fs';
import * as path from 'node:path';
import type { Block } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { fsError, fsyncDir } from '../fs-util.js';
import type { AppendResult, Durability, LogRecord, WalOptions } from './log-record.js';
import { LogSegment } from './log-segment.js';
import { LogTailCache } from './log-tail-cache.js';
import { encodeRecord, FLAG_BATCH_START, type PendingRecord, sealRecord } from './record-format.js';
import { readLog, type LogReadState } from './log-reader.js';
import { recoverLastSegment } from './segment-recovery.js';
import { listSegments, segmentFileName } from './segment-file.js';

type FileHandle = promises.FileHandle;

interface PendingAppend {
  readonly rec: PendingRecord;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: Error) => void;
}

interface Waiter {
  readonly sn: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

const MAX_BATCH_BYTES = 64 << 20;
const MAX_IOV = 512;

/**
 * A stream's write-ahead log: segment files of checksummed records, each a Block with a contiguous range of
 * sequence numbers. Appends are group-committed: records that arrive while a write is in flight share the next
 * write and fdatasync; an append resolves only once its record is durable (or written, with durability `none`),
 * and only then becomes visible to readers and subscribers. See src/storage/README.md for the layout.
 */
export class WriteAheadLog {
  private segments: LogSegment[] = [];
  private fh!: FileHandle;
  private nextSn = 0;
  private durableLastSn = -1;
  private committedSn = -1;
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;
  private paused = false;
  private needDirSync = false;
  private broken: DbError | null = null;
  private closed = false;
  private readonly listeners = new Set<(firstSn: number, lastSn: number) => void>();
  private waiters: Waiter[] = [];
  private readonly pins = new Map<number, number>();
  private pinSeq = 0;
  private readonly cache: LogTailCache;
  private readonly timeColumn: string;
  private readonly durability: Durability;
  private readonly segmentBytes: number;
  private readonly indexInterval: number;
  /** Bumped by truncate(); readers of an older generation stop instead of failing on vanished segments. */
  generation = 0;
  schemaVersion: number;

  private constructor(private readonly opts: WalOptions) {
    this.timeColumn = opts.timeColumn ?? '_tp_time';
    this.durability = opts.durability ?? 'fsync';
    this.segmentBytes = opts.segmentBytes ?? 64 << 20;
    this.indexInterval = opts.indexIntervalBytes ?? 64 << 10;
    this.schemaVersion = opts.schemaVersion ?? 0;
    this.cache = new LogTailCache(opts.cacheBytes ?? 128 << 20);
  }

  /** Opens (or creates) the log in `dir`, recovering the last segment: a torn tail is truncated. */
  static async open(opts: WalOptions): Promise<WriteAheadLog> {
    const wal = new WriteAheadLog(opts);
    await wal.init();
    return wal;
  }

  private async init(): Promise<void> {
    const { dir } = this.opts;
    const startSn = this.opts.startSn ?? 0;
    await fsp.mkdir(dir, { recursive: true });
    const sns = await listSegments(dir);
    for (let i = 0; i < sns.length - 1; i++) {
      const file = path.join(dir, segmentFileName(sns[i]!));
      const st = await fsp.stat(file);
      this.segments.push(new LogSegment(sns[i]!, file, st.size, sns[i + 1]! - 1, st.mtimeMs, false));
    }
    if (sns.length > 0) {
      const first = sns[sns.length - 1]!;
      const file = path.join(dir, segmentFileName(first));
      const seg = new LogSegment(first, file, 0, first - 1, Date.now(), true);
      this.fh = await fsp.open(file, 'r+');
      await recoverLastSegment(this.fh, seg, {
        indexInterval: this.indexInterval,
        strict: this.durability === 'fsync',
        warn: (m) => this.opts.logger?.warn(m),
      });
      this.segments.push(seg);
    }
    const last = this.segments[this.segments.length - 1];
    if (!last || startSn > last.lastSn + 1) {
      // An empty directory, or a log behind the checkpoint (its tail was committed, then lost): start a
      // segment at the first unused sequence number so numbers are never reused.
      const seg = new LogSegment(startSn, path.join(dir, segmentFileName(startSn)), 0, startSn - 1, Date.now(), true);
      if (last) await this.fh.close();
      this.fh = await fsp.open(seg.file, 'wx');
      await fsyncDir(dir);
      this.segments.push(seg);
    }
    this.nextSn = this.active.lastSn + 1;
    this.durableLastSn = this.active.lastSn;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** The first sequence number still in the log. */
  get firstSn(): number {
    return this.segments[0]!.firstSn;
  }

  /** The last acknowledged (durable, visible) sequence number; firstSn - 1 when the log is empty. */
  get lastSn(): number {
    return this.durableLastSn;
  }

  get sizeBytes(): number {
    return this.segments.reduce((s, g) => s + g.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * Appends a block; resolves with its sequence numbers once durable. Sequence numbers are assigned in append
   * order when the record's batch is written, so a failed write leaves no gap.
   */
  append(block: Block): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new DbError('ABORTED', 'The write-ahead log is closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (block.rows === 0) return Promise.resolve({ firstSn: this.nextSn, lastSn: this.nextSn - 1 });
    const timeIdx = block.header.findIndex((c) => c.name === this.timeColumn);
    const rec = encodeRecord(block, timeIdx, this.schemaVersion);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ rec, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || this.paused || this.pending.length === 0) return;
    this.flushing = this.runFlush().finally(() => {
      this.flushing = null;
      this.kick();
    });
  }

  private async runFlush(): Promise<void> {
    // One microtask turn lets appends issued in the same synchronous run join the first batch.
    await Promise.resolve();
    while (this.pending.length > 0 && !this.paused) {
      let bytes = 0;
      let n = 0;
      while (n < this.pending.length && (n === 0 || bytes + this.pending[n]!.rec.buf.length <= MAX_BATCH_BYTES)) {
        bytes += this.pending[n]!.rec.buf.length;
        n++;
      }
      const batch = this.pending.splice(0, n);
      await this.writeBatch(batch, bytes);
    }
  }

  private async writeBatch(batch: PendingAppend[], bytes: number): Promise<void> {
    const now = Date.now();
    const firstSn = this.nextSn;
    let sn = firstSn;
    for (let i = 0; i < batch.length; i++) {
      sealRecord(batch[i]!.rec, sn, i === 0 ? FLAG_BATCH_START : 0, now);
      sn += batch[i]!.rec.rows;
    }
    try {
      if (this.active.size > 0 && this.active.size + bytes > this.segmentBytes) await this.roll(firstSn);
      await writeAll(this.fh, batch.map((p) => p.rec.buf), this.active.size);
      if (this.durability === 'fsync') await this.fh.datasync();
      if (this.needDirSync) {
        await fsyncDir(this.opts.dir);
        this.needDirSync = false;
      }
    } catch (e) {
      const err = fsError(e, 'cannot append to the write-ahead log');
      try {
        await this.fh.truncate(this.active.size);
      } catch {
        // The file may now hold a partial record we cannot remove: refuse further appends.
        this.broken = err;
        for (const p of this.pending.splice(0)) p.reject(err);
      }
      for (const p of batch) p.reject(err);
      return;
    }
    const seg = this.active;
    let offset = seg.size;
    let recSn = firstSn;
    for (const p of batch) {
      seg.addIndexEntry(recSn, offset, this.indexInterval);
      this.cache.push(recSn, p.rec, now);
      offset += p.rec.buf.length;
      recSn += p.rec.rows;
    }
    seg.size = offset;
    seg.lastSn = sn - 1;
    seg.lastAppendMs = now;
    this.nextSn = sn;
    this.durableLastSn = sn - 1;
    recSn = firstSn;
    for (const p of batch) {
      p.resolve({ firstSn: recSn, lastSn: recSn + p.rec.rows - 1 });
      recSn += p.rec.rows;
    }
    this.notify(firstSn, sn - 1);
  }

  private async roll(firstSn: number): Promise<void> {
    if (this.durability === 'none') await this.fh.datasync();
    const seg = new LogSegment(firstSn, path.join(this.opts.dir, segmentFileName(firstSn)), 0, firstSn - 1, Date.now(), true);
    const fh = await fsp.open(seg.file, 'wx');
    await this.fh.close();
    this.fh = fh;
    this.segments.push(seg);
    this.needDirSync = true;
  }

  private notify(firstSn: number, lastSn: number): void {
    for (const l of this.listeners) {
      try {
        l(firstSn, lastSn);
      } catch (e) {
        this.opts.logger?.warn(`write-ahead log listener failed: ${(e as Error).message}`);
      }
    }
    if (this.waiters.length > 0) {
      const still: Waiter[] = [];
      for (const w of this.waiters) (w.sn <= lastSn ? w.resolve() : still.push(w));
      this.waiters = still;
    }
  }

  /** Calls `listener(firstSn, lastSn)` after each durable batch; returns an unsubscribe function. */
  onAppend(listener: (firstSn: number, lastSn: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once sequence number `sn` is durable; rejects when the signal aborts or the log closes. */
  waitForSn(sn: number, signal?: AbortSignal): Promise<void> {
    if (this.durableLastSn >= sn) return Promise.resolve();
    if (this.closed) return Promise.reject(new DbError('ABORTED', 'The write-ahead log is closed'));
    if (signal?.aborted) return Promise.reject(new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled'));
      };
      const w: Waiter = {
        sn,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  /** Keeps segments holding `sn` and later from retention while a reader needs them; returns the release. */
  pin(sn: number): () => void {
    const id = ++this.pinSeq;
    this.pins.set(id, sn);
    return () => {
      this.pins.delete(id);
    };
  }

  /** Everything up to `sn` is durable in parts: segments entirely at or below it may go (retention). */
  setCommittedSn(sn: number): void {
    if (sn > this.committedSn) this.committedSn = sn;
    this.cache.trimCommitted(this.committedSn);
  }

  /**
   * Reads records with sequence numbers in [fromSn, toSn] (toSn defaults to the last durable one at the call),
   * first and last records cut to the range. Stops early (without error) if the log is truncated meanwhile.
   */
  readFrom(fromSn: number, options: { toSn?: number; signal?: AbortSignal } = {}): AsyncGenerator<LogRecord> {
    return readLog(this.readState, fromSn, options);
  }

  private get readState(): LogReadState {
    return {
      segments: this.segments,
      cache: this.cache,
      generation: () => this.generation,
      lastSn: this.durableLastSn,
      indexInterval: this.indexInterval,
      headerOf: this.opts.headerOf,
      pin: (sn) => this.pin(sn),
    };
  }

  /**
   * Deletes whole sealed segments whose records are all committed to parts, not pinned by a reader, and
   * either older than `retentionMs` or beyond `retentionBytes` (oldest first). Returns how many went.
   */
  async applyRetention(nowMs = Date.now()): Promise<number> {
    const retentionMs = this.opts.retentionMs ?? 24 * 3600_000;
    const retentionBytes = this.opts.retentionBytes ?? 4 * 1024 ** 3;
    let minPinned = Infinity;
    for (const sn of this.pins.values()) minPinned = Math.min(minPinned, sn);
    let total = this.sizeBytes;
    let removed = 0;
    while (this.segments.length > 1) {
      const seg = this.segments[0]!;
      if (seg.lastSn > this.committedSn || seg.lastSn >= minPinned) break;
      const old = retentionMs >= 0 && nowMs - seg.lastAppendMs > retentionMs;
      const big = retentionBytes >= 0 && total > retentionBytes;
      if (!old && !big) break;
      await fsp.rm(seg.file, { force: true });
      this.segments.shift();
      total -= seg.size;
      removed++;
    }
    if (removed > 0) await fsyncDir(this.opts.dir);
    return removed;
  }

  /**
   * Drops every record: waits for the write in flight, calls `beforeDelete(boundarySn)` (the caller makes the
   * truncation durable there, e.g. in its checkpoint), deletes all segments and starts an empty one at the
   * boundary. Sequence numbers keep increasing across a truncation.
   */
  async truncate(beforeDelete?: (boundarySn: number) => Promise<void>): Promise<number> {
    this.paused = true;
    try {
      while (this.flushing) await this.flushing;
      const boundary = this.nextSn;
      await beforeDelete?.(boundary);
      this.generation++;
      await this.fh.close();
      for (const seg of this.segments) await fsp.rm(seg.file, { force: true });
      const seg = new LogSegment(boundary, path.join(this.opts.dir, segmentFileName(boundary)), 0, boundary - 1, Date.now(), true);
      this.fh = await fsp.open(seg.file, 'wx');
      await fsyncDir(this.opts.dir);
      this.segments = [seg];
      this.cache.clear();
      return boundary;
    } finally {
      this.paused = false;
      this.kick();
    }
  }

  /** Flushes pending appends and closes the active segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.fh.close().catch(() => undefined);
    const err = new DbError('ABORTED', 'The write-ahead log is closed');
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.cache.clear();
  }
}

async function writeAll(fh: FileHandle, bufs: Uint8Array[], position: number): Promise<void> {
  for (let i = 0; i < bufs.length; i += MAX_IOV) {
    const chunk = bufs.slice(i, i + MAX_IOV);
    const want = chunk.reduce((s, b) => s + b.length, 0);
    const { bytesWritten } = await fh.writev(chunk, position);
    if (bytesWritten < want) {
      // A short write: finish buffer by buffer from where it stopped.
      let skip = bytesWritten;
      let pos = position + bytesWritten;
      for (const b of chunk) {
        if (skip >= b.length) {
          skip -= b.length;
          continue;
        }
        let rest = b.subarray(skip);
        skip = 0;
        while (rest.length > 0) {
          const { bytesWritten: n } = await fh.write(rest, 0, rest.length, pos);
          if (n === 0) throw new DbError('CANNOT_WRITE_TO_FILE_DESCRIPTOR', 'write returned 0 bytes');
          rest = rest.subarray(n);
          pos += n;
        }
      }
    }
    position += want;
  }
}
