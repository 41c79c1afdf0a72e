import type { QueryProgress } from './session-api.js';
import { DbError } from '../errors/index.js';

export interface RunningQuery {
  readonly queryId: string;
  readonly user: string;
  readonly query: string;
  readonly startMs: number;
  readonly address: string;
  readonly interface: string;
  readonly progress: QueryProgress;
  readonly controller: AbortController;
}

/** Running queries: system.processes, KILL QUERY and cancellation by id. */
export class QueryRegistry {
  private readonly running = new Map<string, RunningQuery>();

  register(q: RunningQuery): void {
    if (this.running.has(q.queryId)) {
      throw new DbError('QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING', `Query with id = ${q.queryId} is already running.`);
    }
    this.running.set(q.queryId, q);
  }

  unregister(queryId: string, q: RunningQuery): void {
    if (this.running.get(queryId) !== q) return;
    this.running.delete(queryId);
    const waiting = this.waiters.get(queryId);
    this.waiters.delete(queryId);
    for (const w of waiting ?? []) w();
  }

  private readonly waiters = new Map<string, (() => void)[]>();

  /**
   * Resolves once a query that was cancelled under this id has ended (at once when none is being cancelled; at
   * the latest after `ms`). KILL QUERY is asynchronous, as in ClickHouse: a RECOVER FROM right after it takes
   * the id over only when the killed query has finished (its final checkpoint written).
   */
  whenCancelledEnded(queryId: string, ms: number): Promise<void> {
    const q = this.running.get(queryId);
    if (!q || !q.controller.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const list = this.waiters.get(queryId) ?? [];
      list.push(done);
      this.waiters.set(queryId, list);
    });
  }

  cancel(queryId: string): boolean {
    const q = this.running.get(queryId);
    if (!q) return false;
    q.controller.abort(new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled'));
    return true;
  }

  list(): RunningQuery[] {
    return [...this.running.values()];
  }
}

export function newProgress(): QueryProgress {
  return { readRows: 0, readBytes: 0, totalRowsToRead: 0, writtenRows: 0, writtenBytes: 0, resultRows: 0, resultBytes: 0, lateEvents: 0, startNs: process.hrtime.bigint() };
}
