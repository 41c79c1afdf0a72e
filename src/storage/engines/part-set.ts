import { removeDirAtomic } from '../fs-util.js';
import type { PartReader } from '../parts/part-reader.js';

/** An active part with a reference count: readers hold it, and a replaced part is deleted when released. */
export class ActivePart {
  refs = 0;
  obsolete = false;
  constructor(readonly reader: PartReader) {}
  get meta(): PartReader['meta'] {
    return this.reader.meta;
  }
}

/**
 * The active parts of a stream. Swaps are synchronous (the caller pairs them with its committed-sn update in
 * the same tick), so a reader's snapshot is always a consistent set. Replaced parts leave the set at once and
 * their directories are removed when the last reader releases them.
 */
export class PartSet {
  private parts: ActivePart[] = [];
  private readonly deletions = new Set<Promise<void>>();

  constructor(readonly onDeleteError: (e: Error) => void = () => undefined) {}

  list(): readonly ActivePart[] {
    return this.parts;
  }

  /** A snapshot for a reader: each part's reference count is raised until `release`. */
  acquire(): ActivePart[] {
    const snap = this.parts.slice();
    for (const p of snap) p.refs++;
    return snap;
  }

  release(parts: readonly ActivePart[]): void {
    for (const p of parts) {
      p.refs--;
      if (p.refs === 0 && p.obsolete) this.delete(p);
    }
  }

  /** Atomically removes `remove` and adds `add` (sorted by partition, then sequence numbers). */
  replace(remove: readonly ActivePart[], add: readonly PartReader[]): ActivePart[] {
    const gone = new Set(remove);
    const added = add.map((r) => new ActivePart(r));
    this.parts = this.parts.filter((p) => !gone.has(p)).concat(added);
    this.parts.sort((a, b) => (a.meta.partitionId < b.meta.partitionId ? -1 : a.meta.partitionId > b.meta.partitionId ? 1 : a.meta.minSn - b.meta.minSn));
    for (const p of remove) {
      p.obsolete = true;
      if (p.refs === 0) this.delete(p);
    }
    return added;
  }

  private delete(p: ActivePart): void {
    const d = removeDirAtomic(p.reader.dir)
      .catch((e: Error) => this.onDeleteError(e))
      .finally(() => this.deletions.delete(d));
    this.deletions.add(d);
  }

  /** Waits for directory removals in progress. */
  async settle(): Promise<void> {
    while (this.deletions.size > 0) await Promise.all([...this.deletions]);
  }
}
