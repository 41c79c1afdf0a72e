import { applyTtl, mergeRound } from './stream-maintenance.js';
import type { StreamCore } from './stream-core.js';

/**
 * The background work of a stream: the committer (every `commit.intervalMs`, or at once when `commit.rows`
 * rows wait), merges and TTL passes, each queued at most once on the stream's mutex, with log retention after
 * each commit. Errors are reported to the logger and retried on the next tick.
 */
export class StreamBackground {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly queued = new Set<string>();
  private stopped = false;
  lastError: Error | undefined;

  constructor(private readonly core: StreamCore) {}

  start(): void {
    const o = this.core.opts;
    if (o.commit?.enabled !== false) this.every(o.commit?.intervalMs ?? 1000, () => this.kickCommit(true));
    if (o.merge?.enabled !== false) this.every(o.merge?.intervalMs ?? 1000, () => this.queue('merge', () => mergeRound(this.core)));
    if (o.ttl) this.every(o.ttl.intervalMs ?? 60_000, () => this.queue('ttl', () => applyTtl(this.core)));
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Commits the log tail if enough rows wait (or any, with `always`). */
  kickCommit(always = false): void {
    const threshold = this.core.opts.commit?.rows ?? 100_000;
    if (this.core.opts.commit?.enabled === false) return;
    if (this.core.logRows <= 0 || (!always && this.core.logRows < threshold)) return;
    this.queue('commit', async () => {
      await this.core.commitAll();
      await this.core.wal.applyRetention();
    });
  }

  private queue(name: string, task: () => Promise<unknown>): void {
    if (this.stopped || this.queued.has(name)) return;
    this.queued.add(name);
    this.core.mutex
      .run(async () => {
        this.queued.delete(name);
        if (!this.stopped) await task();
      })
      .catch((e: Error) => {
        this.lastError = e;
        this.core.opts.logger?.warn(`background ${name} failed: ${e.message}`);
      });
  }

  /** Stops the timers and waits for the task in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.core.mutex.run(async () => undefined);
  }
}
