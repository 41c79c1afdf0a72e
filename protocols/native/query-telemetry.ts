import os from 'node:os';
import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import type { QueryProgress } from '../../src/server/session-api.js';
import { parseDataType } from '../../src/types/type-factory.js';

/**
 * What a query tells a native client about itself besides its result: server log lines (`send_logs_level`)
 * and ProfileEvents counters, each as a block in ClickHouse's own column layout.
 */

/** Poco priorities, as ClickHouse's log blocks carry them. */
const PRIORITY = { fatal: 1, critical: 2, error: 3, warning: 4, notice: 5, information: 6, debug: 7, trace: 8, test: 9 } as const;
export type LogLevel = keyof typeof PRIORITY;

export interface LogLine {
  readonly level: LogLevel;
  readonly source: string;
  readonly text: string;
}

/** The most verbose priority `send_logs_level` asks for; 0 = none. */
export function logThreshold(setting: string | undefined): number {
  if (setting === undefined) return 0;
  const p = PRIORITY[setting.toLowerCase() as LogLevel];
  return p ?? 0;
}

const HOST = os.hostname();

const LOG_HEADER = [
  ['event_time', 'DateTime'],
  ['event_time_microseconds', 'UInt32'],
  ['host_name', 'String'],
  ['query_id', 'String'],
  ['thread_id', 'UInt64'],
  ['priority', 'Int8'],
  ['source', 'String'],
  ['text', 'String'],
] as const;

const headers = new Map<ReadonlyArray<readonly [string, string]>, Header>();

function block(spec: ReadonlyArray<readonly [string, string]>, rows: Value[][]): Block {
  let header = headers.get(spec);
  if (header === undefined) {
    header = spec.map(([name, type]) => ({ name, type: parseDataType(type) }));
    headers.set(spec, header);
  }
  const columns = header.map((h, i) => columnFromValues(h.type, rows.map((r) => r[i]!)));
  return new Block(header, columns, rows.length);
}

export function logBlock(queryId: string, lines: readonly LogLine[], threshold: number): Block | undefined {
  const now = Date.now();
  const rows = lines
    .filter((l) => PRIORITY[l.level] <= threshold)
    .map((l): Value[] => [Math.floor(now / 1000), (now % 1000) * 1000, HOST, queryId, BigInt(process.pid), PRIORITY[l.level], l.source, l.text]);
  return rows.length ? block(LOG_HEADER, rows) : undefined;
}

const PROFILE_EVENTS_HEADER = [
  ['host_name', 'String'],
  ['current_time', 'DateTime'],
  ['thread_id', 'UInt64'],
  ['type', "Enum8('increment' = 1, 'gauge' = 2)"],
  ['name', 'String'],
  ['value', 'Int64'],
] as const;

export interface ProfileCounters {
  readonly selectedRows: number;
  readonly selectedBytes: number;
  readonly insertedRows: number;
  readonly insertedBytes: number;
  readonly startNs: bigint;
}

export function countersOf(p: QueryProgress): ProfileCounters {
  return { selectedRows: p.readRows, selectedBytes: p.readBytes, insertedRows: p.writtenRows, insertedBytes: p.writtenBytes, startNs: p.startNs };
}

export function profileEventsBlock(p: ProfileCounters): Block {
  const now = Math.floor(Date.now() / 1000);
  const host = HOST;
  const elapsedUs = Number((process.hrtime.bigint() - p.startNs) / 1000n);
  const counters: Array<[string, number]> = [
    ['Query', 1],
    ['SelectedRows', p.selectedRows],
    ['SelectedBytes', p.selectedBytes],
    ['InsertedRows', p.insertedRows],
    ['InsertedBytes', p.insertedBytes],
    ['RealTimeMicroseconds', elapsedUs],
  ];
  // `type` is Enum8: 1 = increment, 2 = gauge.
  const rows = counters.map(([name, value]): Value[] => [host, now, 0n, 1, name, BigInt(value)]);
  rows.push([host, now, 0n, 2, 'MemoryTrackerUsage', BigInt(process.memoryUsage.rss())]);
  return block(PROFILE_EVENTS_HEADER, rows);
}

/** The summary line ClickHouse logs when a query finishes. */
export function finishedLine(p: QueryProgress, resultRows: number): LogLine {
  const seconds = Number(process.hrtime.bigint() - p.startNs) / 1e9;
  const rate = seconds > 0 ? Math.round(p.readRows / seconds) : p.readRows;
  return {
    level: 'information',
    source: 'executeQuery',
    text: `Read ${p.readRows} rows, ${formatBytes(p.readBytes)} in ${seconds.toFixed(6)} sec., ${rate} rows/sec. Result: ${resultRows} rows.`,
  };
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(2)} ${units[u]}`;
}
