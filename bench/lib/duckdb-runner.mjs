import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// DuckDB (@duckdb/node-api) as a third, in-process column: same data (loaded from the same
// CSV bytes through a local file), equivalent queries. Its figures include no HTTP and no
// serialization, so they are a yardstick of what a vectorized engine does on this machine,
// not a like-for-like server comparison.
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{
 *   version: string,
 *   ingestCsv: (csvChunks: Buffer[], rows: number) => Promise<{ ms: number, rows: number }>,
 *   query: (sql: string, small: boolean) => Promise<{ ms: number, rows: number, answer: string | null }>,
 *   close: () => void,
 * }} DuckDbRunner
 */

/**
 * DuckDB is only the benchmark's yardstick, so it is not a dependency of the project (its optional per-platform
 * packages cannot all be recorded in the lock file here, which would break `npm ci`): it is installed into
 * bench/.deps on first use.
 */
async function loadDuckDb() {
  const deps = new URL('../.deps/', import.meta.url);
  const entry = new URL('node_modules/@duckdb/node-api/lib/index.js', deps);
  if (!existsSync(entry)) {
    mkdirSync(deps, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', fileURLToPath(deps), '@duckdb/node-api@1.5.6-r.1'], { stdio: 'ignore' });
  }
  return import(entry.href);
}

/**
 * @param {string} dir a scratch directory (the database file and the CSV file go there)
 * @returns {Promise<DuckDbRunner | { unavailable: string }>}
 */
export async function openDuckDb(dir) {
  /** @type {typeof import('@duckdb/node-api')} */
  let api;
  try {
    api = await loadDuckDb();
  } catch (err) {
    return { unavailable: `@duckdb/node-api not available (${/** @type {Error} */ (err).message.split('\n')[0]})` };
  }
  const instance = await api.DuckDBInstance.create(join(dir, 'bench.duckdb'));
  const conn = await instance.connect();
  const version = String((await conn.runAndReadAll('SELECT version()')).getRowsJS()[0]?.[0] ?? '?');
  await conn.run('CREATE TABLE t (ts TIMESTAMP, k1 VARCHAR, k2 UINTEGER, value DOUBLE, flag UTINYINT)');
  return {
    version,
    async ingestCsv(csvChunks, rows) {
      const file = join(dir, 'data.csv');
      writeFileSync(file, '');
      for (const c of csvChunks) appendFileSync(file, c);
      const started = performance.now();
      await conn.run(
        `INSERT INTO t SELECT * FROM read_csv('${file}', header = false, delim = ',', quote = '"', ` +
          `columns = {'ts': 'TIMESTAMP', 'k1': 'VARCHAR', 'k2': 'UINTEGER', 'value': 'DOUBLE', 'flag': 'UTINYINT'})`,
      );
      const ms = performance.now() - started;
      rmSync(file, { force: true });
      const n = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRowsJS()[0]?.[0]);
      if (n !== rows) throw new Error(`DuckDB loaded ${n} rows, expected ${rows}`);
      return { ms, rows: n };
    },
    async query(sql, small) {
      const started = performance.now();
      const result = await conn.run(sql);
      let n = 0;
      /** @type {string | null} */
      let answer = null;
      if (small) {
        const rowsJs = await result.getRowsJS();
        n = rowsJs.length;
        answer = rowsJs.map((r) => r.map((v) => String(v)).join('\t')).join('\n');
      } else {
        for (;;) {
          const chunk = await result.fetchChunk();
          if (chunk === null || chunk.rowCount === 0) break;
          n += chunk.rowCount;
        }
      }
      return { ms: performance.now() - started, rows: n, answer };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
