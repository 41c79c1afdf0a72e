import { readFileSync } from 'node:fs';

/**
 * A sqllogictest-style file format for SQL behaviour (as DuckDB keeps its tests):
 *
 *   statement ok            the next statement (up to a blank line) must succeed
 *   statement error 60      … must fail with ClickHouse error code 60
 *   query                   … must return exactly the TabSeparated lines after `----` (up to a blank line)
 *   query sort              … the same, comparing sorted lines
 *
 * Lines starting with `#` are comments.
 */
export interface SqlLogicCase {
  readonly kind: 'ok' | 'error' | 'query';
  readonly sql: string;
  readonly errorCode?: number;
  readonly expected?: string[];
  readonly sort?: boolean;
  readonly line: number;
}

export function parseSqlLogic(file: string): SqlLogicCase[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const cases: SqlLogicCase[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) {
      i++;
      continue;
    }
    const start = i + 1;
    const [directive, arg, arg2] = line.split(/\s+/);
    i++;
    const sqlLines: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.trim() !== '----') sqlLines.push(lines[i++]!);
    const sql = sqlLines.join('\n');
    if (directive === 'statement') {
      if (arg === 'ok') cases.push({ kind: 'ok', sql, line: start });
      else if (arg === 'error') cases.push({ kind: 'error', sql, errorCode: arg2 ? Number(arg2) : undefined, line: start });
      else throw new Error(`${file}:${start}: unknown statement directive ${arg}`);
    } else if (directive === 'query') {
      if (lines[i]?.trim() !== '----') throw new Error(`${file}:${start}: query without ----`);
      i++;
      const expected: string[] = [];
      while (i < lines.length && lines[i] !== '') expected.push(lines[i++]!);
      cases.push({ kind: 'query', sql, expected, sort: arg === 'sort', line: start });
    } else throw new Error(`${file}:${start}: unknown directive ${directive}`);
  }
  return cases;
}
