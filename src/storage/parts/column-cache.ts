import type { Column } from '../../columns/column.js';
import { columnByteSize } from '../../columns/ops.js';

/**
 * Decoded column blocks of parts, kept in memory (least recently used evicted first). Parts are immutable and
 * each loaded part gets its own key prefix, so a key identifies a block for good; a merged-away part's blocks
 * simply age out. This is the "uncompressed cache" that spares repeated scans LZ4 and CRC work.
 */
class ColumnBlockCache {
  private readonly entries = new Map<string, { col: Column; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(public capacityBytes: number) {}

  get(key: string): Column | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Refresh recency: Maps iterate in insertion order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.col;
  }

  put(key: string, col: Column): void {
    const bytes = columnByteSize(col) + 64;
    if (bytes > this.capacityBytes / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { col, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.capacityBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

const DEFAULT_BYTES = Number(process.env['HADRON_COLUMN_CACHE_BYTES'] ?? 1024 * 1024 * 1024);

export const columnBlockCache = new ColumnBlockCache(Number.isFinite(DEFAULT_BYTES) ? DEFAULT_BYTES : 1024 * 1024 * 1024);
