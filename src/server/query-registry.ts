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
    if (this.running.get(queryId) === q) this.running.delete(queryId);
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
