import { type Block, concatBlocks, type Header } from '../../core/block.js';
import { checkSignal } from '../fs-util.js';
import { replacingDedup } from '../parts/sort-block.js';
import type { InsertResult, PartInfo, ReadOptions, StorageStats, TableStorage } from '../table-storage.js';
import { project } from './stream-maintenance.js';
import { projectColumns, rechunk, resolveColumns, DEFAULT_BLOCK_ROWS } from './stream-read.js';
import type { TtlSpec } from './storage-options.js';

export interface MemoryStorageOptions {
  readonly header: Header;
  /** Only used with `replacing` (FINAL and OPTIMIZE dedup by it). */
  readonly sortKey?: readonly string[];
  readonly replacing?: { readonly versionColumn?: string };
  readonly ttl?: TtlSpec;
}

/**
 * ENGINE = Memory: blocks kept as inserted, sequence numbers from an in-memory counter. Same interface as
 * StreamStorage; nothing survives a restart. Readers see the blocks present when the read starts.
 */
export class MemoryStorage implements TableStorage {
  private blocks: Block[] = [];
  private nextSn = 0;
  private rowCount = 0;
  header: Header;

  constructor(private readonly opts: MemoryStorageOptions) {
    this.header = opts.header;
  }

  async insert(block: Block): Promise<InsertResult> {
    const m = block.materialized();
    if (m.rows > 0) {
      this.blocks.push(m);
      this.rowCount += m.rows;
    }
    const firstSn = this.nextSn;
    this.nextSn += m.rows;
    return { firstSn: BigInt(firstSn), lastSn: BigInt(this.nextSn - 1), rows: m.rows };
  }

  read(options: ReadOptions): AsyncIterable<Block> {
    const snapshot = this.blocks.slice();
    const cols = resolveColumns(this.header, options.columns);
    const self = this;
    async function* source(): AsyncGenerator<Block> {
      if (options.final && self.opts.replacing) {
        if (snapshot.length === 0) return;
        yield projectColumns(self.dedup(concatBlocks(self.header, snapshot)), cols);
        return;
      }
      for (const b of snapshot) {
        checkSignal(options.signal);
        yield projectColumns(b, cols);
      }
    }
    return rechunk(source(), cols, options.blockRows ?? DEFAULT_BLOCK_ROWS);
  }

  private dedup(block: Block): Block {
    return replacingDedup(block, this.opts.sortKey ?? [], this.opts.replacing?.versionColumn);
  }

  async truncate(): Promise<void> {
    this.blocks = [];
    this.rowCount = 0;
  }

  async drop(): Promise<void> {
    await this.truncate();
  }

  async close(): Promise<void> {}

  async optimize(): Promise<void> {
    if (this.blocks.length === 0) return;
    let all = concatBlocks(this.header, this.blocks);
    if (this.opts.replacing) all = this.dedup(all);
    if (this.opts.ttl) all = this.keep(all, this.opts.ttl.expired(this.opts.ttl.columns ? project(all, this.opts.ttl.columns) : all));
    this.set(all.rows > 0 ? [all] : []);
  }

  async deleteWhere(predicate: (block: Block) => Uint8Array): Promise<number> {
    const before = this.rowCount;
    this.set(this.blocks.map((b) => this.keep(b, predicate(b))).filter((b) => b.rows > 0));
    return before - this.rowCount;
  }

  async alterColumns(newHeader: Header, convert: (block: Block) => Block): Promise<void> {
    this.blocks = this.blocks.map((b) => convert(b).materialized());
    this.header = newHeader;
  }

  private keep(block: Block, drop: Uint8Array): Block {
    const mask = new Uint8Array(block.rows);
    let n = 0;
    for (let i = 0; i < block.rows; i++) if (!drop[i]) (mask[i] = 1), n++;
    return block.filter(mask, n);
  }

  private set(blocks: Block[]): void {
    this.blocks = blocks;
    this.rowCount = blocks.reduce((s, b) => s + b.rows, 0);
  }

  stats(): StorageStats {
    return { rows: this.rowCount, bytes: this.blocks.reduce((s, b) => s + b.byteSize, 0), parts: 0, logRows: 0 };
  }

  parts(): PartInfo[] {
    return [];
  }
}
