// The benchmark queries, in ClickHouse SQL (Hadron and ClickHouse run the same text) and,
// where DuckDB can run an equivalent, in DuckDB SQL.
import { formatDateTime, timeRangeFilter } from './dataset.mjs';

/**
 * @typedef {{
 *   id: string,
 *   sql: string,
 *   duckdb: string | null,
 *   result: 'small' | 'discard',
 *   note?: string,
 * }} BenchQuery
 *   `small`: a one-row answer, compared across systems; `discard`: the client drops the bytes.
 */

/** @returns {BenchQuery[]} */
export function benchQueries() {
  const { from, to } = timeRangeFilter();
  const x = formatDateTime(from);
  const y = formatDateTime(to);
  return [
    { id: 'select_1', sql: 'SELECT 1', duckdb: 'SELECT 1', result: 'small', note: 'baseline: the fixed cost of one HTTP query' },
    { id: 'sum', sql: 'SELECT sum(value) FROM t', duckdb: 'SELECT sum(value) FROM t', result: 'small' },
    {
      id: 'group_k1',
      sql: 'SELECT k1, count(), avg(value), max(value) FROM t GROUP BY k1 FORMAT Null',
      duckdb: 'SELECT k1, count(*), avg(value), max(value) FROM t GROUP BY k1',
      result: 'discard',
    },
    {
      id: 'group_k2_quantile',
      sql: 'SELECT k2, count(), quantile(0.99)(value) FROM t GROUP BY k2 FORMAT Null',
      duckdb: 'SELECT k2, count(*), quantile_cont(value, 0.99) FROM t GROUP BY k2',
      result: 'discard',
      note: 'DuckDB: quantile_cont (exact); ClickHouse quantile is a reservoir-sampling estimate',
    },
    {
      id: 'time_range',
      sql: `SELECT count(), sum(value) FROM t WHERE ts >= toDateTime('${x}') AND ts < toDateTime('${y}')`,
      duckdb: `SELECT count(*), sum(value) FROM t WHERE ts >= TIMESTAMP '${x}' AND ts < TIMESTAMP '${y}'`,
      result: 'small',
    },
    { id: 'uniq_exact', sql: 'SELECT uniqExact(k2) FROM t', duckdb: 'SELECT count(DISTINCT k2) FROM t', result: 'small' },
    {
      id: 'select_all_null',
      sql: 'SELECT * FROM t FORMAT Null',
      duckdb: 'SELECT * FROM t',
      result: 'discard',
      note: 'DuckDB: all chunks fetched in-process, nothing serialized',
    },
    { id: 'select_all_rowbinary', sql: 'SELECT * FROM t FORMAT RowBinary', duckdb: null, result: 'discard' },
  ];
}
