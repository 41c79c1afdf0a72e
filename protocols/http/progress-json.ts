import type { QueryProgress } from '../../src/server/session-api.js';

/**
 * X-ClickHouse-Summary / X-ClickHouse-Progress values: JSON objects whose numbers are strings, as ClickHouse
 * writes them (clients parse them with string-to-int conversions).
 */
export function progressJson(p: QueryProgress | undefined, startNs: bigint): string {
  const elapsed = process.hrtime.bigint() - (p?.startNs ?? startNs);
  if (p === undefined) {
    return `{"read_rows":"0","read_bytes":"0","written_rows":"0","written_bytes":"0","total_rows_to_read":"0","result_rows":"0","result_bytes":"0","elapsed_ns":"${elapsed}"}`;
  }
  return `{"read_rows":"${p.readRows}","read_bytes":"${p.readBytes}","written_rows":"${p.writtenRows}","written_bytes":"${p.writtenBytes}","total_rows_to_read":"${p.totalRowsToRead}","result_rows":"${p.resultRows}","result_bytes":"${p.resultBytes}","elapsed_ns":"${elapsed}"}`;
}
