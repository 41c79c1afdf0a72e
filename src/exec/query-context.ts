import type { FunctionContext } from '../functions/function.js';
import type { QueryProgress } from '../server/session-api.js';
import v8 from 'node:v8';
import { DbError } from '../errors/index.js';

const HEAP_LIMIT = v8.getHeapStatistics().heap_size_limit;
/** Above this share of V8's heap limit, queries are stopped before V8 runs out of memory and kills the server. */
const HEAP_GUARD = 0.85;

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
  /** max_memory_usage in bytes (0 = no per-query limit) and the process RSS when the query started. */
  readonly maxMemory: number;
  readonly rssAtStart: number;
}

export function checkCancelled(ctx: QueryContext): void {
  if (ctx.signal.aborted) throw new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled');
  checkMemory(ctx);
  if (ctx.deadlineMs !== Infinity && Date.now() > ctx.deadlineMs) {
    throw new DbError('TIMEOUT_EXCEEDED', `Timeout exceeded: elapsed ${((Date.now() - ctx.startMs) / 1000).toFixed(3)} seconds, maximum: ${ctx.settings.get('max_execution_time')}`);
  }
}

/**
 * Memory is checked between blocks: per query against max_memory_usage (growth of the process RSS since the
 * query started: an approximation, as columns live in ArrayBuffers outside V8's heap), and for the whole
 * server against V8's heap limit.
 */
export function checkMemory(ctx: QueryContext): void {
  const heap = v8.getHeapStatistics().used_heap_size;
  if (heap > HEAP_LIMIT * HEAP_GUARD) {
    throw new DbError('MEMORY_LIMIT_EXCEEDED', `Memory limit (for the server) exceeded: would use ${(heap / 2 ** 30).toFixed(2)} GiB of JS heap, maximum: ${((HEAP_LIMIT * HEAP_GUARD) / 2 ** 30).toFixed(2)} GiB`);
  }
  if (ctx.maxMemory > 0) {
    const used = process.memoryUsage.rss() - ctx.rssAtStart;
    if (used > ctx.maxMemory) {
      throw new DbError('MEMORY_LIMIT_EXCEEDED', `Memory limit (for query) exceeded: would use ${(used / 2 ** 20).toFixed(2)} MiB, maximum: ${(ctx.maxMemory / 2 ** 20).toFixed(2)} MiB`);
    }
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
