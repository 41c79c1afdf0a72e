import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DbError } from '../errors/index.js';
import { writeFileAtomic } from '../catalog/atomic-file.js';
import { CheckpointStore } from './materialized-view-checkpoint.js';

/** What RECOVER FROM needs to run a SUBSCRIBE query again: its text and the context it ran in. */
export interface SubscriptionMeta {
  readonly queryId: string;
  /** The statement as the client sent it (`SUBSCRIBE TO SELECT …`). */
  readonly sql: string;
  readonly database: string;
  /** Every setting in effect for the query (session settings and the query's own). */
  readonly settings: Readonly<Record<string, string>>;
  readonly user: string;
  readonly createdMs: number;
}

/**
 * After UNSUBSCRIBE, RECOVER FROM the same id fails with QUERY_WAS_CANCELLED for this long, then with
 * RESOURCE_NOT_FOUND (Proton keeps a delete mark for `checkpoint.delete_grace_interval`, 60 s by default).
 */
export const UNSUBSCRIBE_GRACE_MS = 60_000;

/**
 * Where the checkpoint of one SUBSCRIBE query lives: `<data>/checkpoints/queries/<sha256 of the query id>/`
 * with `query.json` (SubscriptionMeta), `checkpoint.bin` (the materialized views' checkpoint format: source
 * positions, watermark clock, aggregation state) and, after UNSUBSCRIBE, only `unsubscribed` (a delete mark
 * holding the time, so RECOVER can tell "unsubscribed" from "never existed" for a grace period).
 */
export class SubscriptionStore {
  readonly dir: string;
  readonly checkpoint: CheckpointStore;
  private readonly metaFile: string;
  private readonly markFile: string;

  constructor(dataDir: string, readonly queryId: string) {
    const key = createHash('sha256').update(queryId).digest('hex');
    // CheckpointStore puts its file in <data>/checkpoints/<name>/: the name is a relative path here.
    this.checkpoint = new CheckpointStore(dataDir, path.join('queries', key));
    this.dir = this.checkpoint.dir;
    this.metaFile = path.join(this.dir, 'query.json');
    this.markFile = path.join(this.dir, 'unsubscribed');
  }

  /** A new subscription under this id: any earlier checkpoint or delete mark goes, the query is recorded. */
  async create(meta: SubscriptionMeta): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
    await writeFileAtomic(this.metaFile, JSON.stringify(meta));
  }

  /** The subscription to recover; RESOURCE_NOT_FOUND when there is none, QUERY_WAS_CANCELLED when unsubscribed. */
  async meta(): Promise<SubscriptionMeta> {
    const mark = await readText(this.markFile);
    if (mark !== undefined) {
      if (Date.now() - Number(mark) < UNSUBSCRIBE_GRACE_MS) {
        throw new DbError('QUERY_WAS_CANCELLED', `Failed to recover query=${this.queryId} because it was unsubscribed and its checkpoints is scheduled to be deleted`);
      }
      await fs.rm(this.dir, { recursive: true, force: true });
    }
    const text = mark === undefined ? await readText(this.metaFile) : undefined;
    if (text === undefined) throw new DbError('RESOURCE_NOT_FOUND', `Can't find query=${this.queryId}`);
    let meta: SubscriptionMeta;
    try {
      meta = JSON.parse(text) as SubscriptionMeta;
    } catch {
      throw new DbError('CORRUPTED_DATA', `The checkpoint of query ${this.queryId} is corrupt: ${this.metaFile} is not JSON`);
    }
    if (typeof meta.sql !== 'string' || typeof meta.database !== 'string' || meta.queryId !== this.queryId) {
      throw new DbError('CORRUPTED_DATA', `The checkpoint of query ${this.queryId} is corrupt: ${this.metaFile} does not describe it`);
    }
    return meta;
  }

  /** UNSUBSCRIBE: deletes the query and its checkpoint, leaving the delete mark. False when there was nothing. */
  async remove(): Promise<boolean> {
    try {
      await fs.access(this.dir);
    } catch {
      return false;
    }
    await fs.rm(this.dir, { recursive: true, force: true });
    await writeFileAtomic(this.markFile, String(Date.now()));
    return true;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
