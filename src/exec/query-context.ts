import type { FunctionContext } from '../functions/function.js';
import type { QueryProgress } from '../server/session-api.js';
import { DbError } from '../errors/index.js';

/** Everything an operator needs while a query runs. */
export interface QueryContext {
  readonly queryId: string;
  readonly signal: AbortSignal;
  readonly progress: QueryProgress;
  readonly fn: FunctionContext;
  readonly settings: ReadonlyMap<string, string>;
  /** Absolute deadline in ms (max_execution_time), or Infinity. */
  readonly deadlineMs: number;
  /** Preferred rows per block (max_block_size). */
  readonly blockRows: number;
  readonly startMs: number;
}

export function checkCancelled(ctx: QueryContext): void {
  if (ctx.signal.aborted) throw new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled');
  if (ctx.deadlineMs !== Infinity && Date.now() > ctx.deadlineMs) {
    throw new DbError('TIMEOUT_EXCEEDED', `Timeout exceeded: elapsed ${((Date.now() - ctx.startMs) / 1000).toFixed(3)} seconds, maximum: ${ctx.settings.get('max_execution_time')}`);
  }
}

/** Lets other work run between blocks so one heavy query does not stall the server. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function settingNumber(settings: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const v = settings.get(name);
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

export function settingBool(settings: ReadonlyMap<string, string>, name: string, fallback: boolean): boolean {
  const v = settings.get(name);
  if (v === undefined || v === '') return fallback;
  return v === '1' || v.toLowerCase() === 'true';
}
