import { promises as fsp, type promises } from 'node:fs';
import * as path from 'node:path';
import { Block, concatBlocks, type Header } from '../../core/block.js';
import { encodeColumn } from '../codec/column-encoder.js';
import { fsError, fsyncDir, TMP_PREFIX, writeFileDurable } from '../fs-util.js';
import { appendGranuleMinMax, type GranuleMinMax, indexable } from './granule-index.js';
import { compressBlock, DEFAULT_PART_CODEC, isStoredRaw, type PartCodec } from './part-compression.js';

/** Encoded blocks are compressed right away: one reused buffer (writes are sequential per process tick). */
const scratch = { buf: new Uint8Array(0) };
import { columnFileName, META_FILE, type PartColumnMeta, type PartMeta } from './part-meta.js';
import { formatPartName, type PartName } from './part-name.js';

export interface PartWriterOptions extends PartName {
  /** The directory holding the stream's parts. */
  readonly partsDir: string;
  readonly header: Header;
  readonly partition: string;
  readonly sortKey: readonly string[];
  /** Columns to keep per-granule min/max for (numeric ones are indexed; others ignored). */
  readonly indexColumns: readonly string[];
  readonly granuleRows?: number;
  /** Granules per compressed block × granuleRows (default 8 × 8192). */
  readonly blockRows?: number;
  readonly codec?: PartCodec;
}

/**
 * Writes one immutable part from blocks already in sort-key order: one file per column, each a sequence of
 * checksummed compressed blocks. Everything goes to `tmp_<name>`, is fsynced, and is renamed into place by
 * `finish()`, so a crash leaves either a complete part or a tmp directory removed at open.
 */
export class PartWriter {
  private readonly files: promises.FileHandle[] = [];
  private readonly marks: number[][];
  private readonly rawStreak: number[];
  private readonly index: GranuleMinMax[];
  private readonly indexCols: number[];
  private pending: Block[] = [];
  private pendingRows = 0;
  private rows = 0;
  private readonly name: string;
  private readonly tmpDir: string;
  private readonly granuleRows: number;
  private readonly blockRows: number;

  private constructor(private readonly opts: PartWriterOptions) {
    this.name = formatPartName(opts);
    this.tmpDir = path.join(opts.partsDir, `${TMP_PREFIX}${this.name}`);
    this.granuleRows = opts.granuleRows ?? 8192;
    this.blockRows = Math.max(1, Math.round((opts.blockRows ?? 8 * this.granuleRows) / this.granuleRows)) * this.granuleRows;
    this.marks = opts.header.map(() => [0]);
    this.rawStreak = opts.header.map(() => 0);
    this.indexCols = [];
    this.index = [];
    for (const name of opts.indexColumns) {
      const i = opts.header.findIndex((c) => c.name === name);
      if (i >= 0 && !this.indexCols.includes(i)) {
        this.indexCols.push(i);
        this.index.push({ column: name, min: [], max: [] });
      }
    }
  }

  static async create(opts: PartWriterOptions): Promise<PartWriter> {
    const w = new PartWriter(opts);
    try {
      await fsp.rm(w.tmpDir, { recursive: true, force: true });
      await fsp.mkdir(w.tmpDir, { recursive: true });
      for (const c of opts.header) w.files.push(await fsp.open(path.join(w.tmpDir, columnFileName(c.name)), 'wx'));
    } catch (e) {
      await w.abort();
      throw fsError(e, `cannot create part ${w.name}`);
    }
    return w;
  }

  /** Adds rows (in sort order, after the rows written so far). */
  async write(block: Block): Promise<void> {
    if (block.rows === 0) return;
    const b = block.materialized();
    let pos = 0;
    if (this.pendingRows > 0) {
      const need = this.blockRows - this.pendingRows;
      if (b.rows < need) {
        this.pending.push(b);
        this.pendingRows += b.rows;
        return;
      }
      this.pending.push(b.slice(0, need));
      await this.flushBlock(concatBlocks(this.opts.header, this.pending));
      this.pending = [];
      this.pendingRows = 0;
      pos = need;
    }
    for (; b.rows - pos >= this.blockRows; pos += this.blockRows) await this.flushBlock(b.slice(pos, pos + this.blockRows));
    if (pos < b.rows) {
      this.pending = [b.slice(pos, b.rows)];
      this.pendingRows = b.rows - pos;
    }
  }

  private async flushBlock(block: Block): Promise<void> {
    for (let k = 0; k < this.indexCols.length; k++) {
      const col = block.columns[this.indexCols[k]!]!;
      if (indexable(col)) appendGranuleMinMax(col, block.rows, this.granuleRows, this.index[k]!);
      else for (let g = 0; g < block.rows; g += this.granuleRows) (this.index[k]!.min.push(-Infinity), this.index[k]!.max.push(Infinity));
    }
    const codec = this.opts.codec ?? DEFAULT_PART_CODEC;
    for (let c = 0; c < block.columns.length; c++) {
      // A column whose last two blocks did not compress is stored raw, retrying compression every 8th block.
      const skip = this.rawStreak[c]! >= 2 && this.rawStreak[c]! % 8 !== 0;
      const data = compressBlock(encodeColumn(block.columns[c]!, scratch), skip ? 'none' : codec);
      this.rawStreak[c] = isStoredRaw(data) ? this.rawStreak[c]! + 1 : 0;
      const marks = this.marks[c]!;
      const at = marks[marks.length - 1]!;
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await this.files[c]!.write(data, off, data.length - off, at + off);
        off += bytesWritten;
      }
      marks.push(at + data.length);
    }
    this.rows += block.rows;
  }

  /** Flushes, writes meta.json, fsyncs and renames the part into place. Returns its meta. */
  async finish(): Promise<PartMeta> {
    try {
      if (this.pendingRows > 0) await this.flushBlock(concatBlocks(this.opts.header, this.pending));
      this.pending = [];
      const columns: PartColumnMeta[] = this.opts.header.map((c, i) => ({
        name: c.name,
        type: c.type.name,
        file: columnFileName(c.name),
        marks: this.marks[i]!,
      }));
      const bytes = this.marks.reduce((s, m) => s + m[m.length - 1]!, 0);
      const index = this.index.map((ix) => ({ column: ix.column, min: ix.min.map(jsonNum), max: ix.max.map(jsonNum) }));
      const o = this.opts;
      const metaBase = {
        format: 1 as const,
        name: this.name,
        partitionId: o.partitionId,
        partition: o.partition,
        minSn: o.minSn,
        maxSn: o.maxSn,
        level: o.level,
        mutation: o.mutation,
        rows: this.rows,
        granuleRows: this.granuleRows,
        blockRows: this.blockRows,
        columns,
        sortKey: [...o.sortKey],
        index,
        createdMs: Date.now(),
      };
      const text = JSON.stringify({ ...metaBase, bytesOnDisk: 0 });
      const meta: PartMeta = { ...metaBase, bytesOnDisk: bytes + text.length + 32 };
      await Promise.all(this.files.map((f) => f.sync()));
      for (const f of this.files.splice(0)) await f.close();
      await writeFileDurable(path.join(this.tmpDir, META_FILE), JSON.stringify(meta));
      await fsyncDir(this.tmpDir);
      const final = path.join(o.partsDir, this.name);
      await fsp.rename(this.tmpDir, final);
      await fsyncDir(o.partsDir);
      return meta;
    } catch (e) {
      await this.abort();
      throw fsError(e, `cannot write part ${this.name}`);
    }
  }

  async abort(): Promise<void> {
    for (const f of this.files.splice(0)) await f.close().catch(() => undefined);
    await fsp.rm(this.tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** JSON has no Infinity: an unbounded side becomes null only for empty granules; keep finite bounds. */
function jsonNum(v: number | null): number | null {
  if (v === null) return null;
  if (v === Infinity) return Number.MAX_VALUE;
  if (v === -Infinity) return -Number.MAX_VALUE;
  return v;
}
