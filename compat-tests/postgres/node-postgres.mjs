// node-postgres (pg) and pg-cursor against Hadron's Postgres port; prints `N passed, N failed, 0 skipped`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'));
const pg = require('pg');
const Cursor = require('pg-cursor');

const port = Number(process.env.COMPAT_POSTGRES_PORT);
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
function eq(want, got, what) {
  const a = JSON.stringify(want);
  const b = JSON.stringify(got);
  if (a !== b) throw new Error(`${what}: expected ${a} got ${b}`);
}

const client = new pg.Client({ host: '127.0.0.1', port, user: 'pguser', password: 'pgpass', database: 'default' });
await check('connect with a password', () => client.connect());
await check('query', async () => {
  const r = await client.query("SELECT 1 AS one, 'two' AS two, [1, 2] AS arr, toDate('2024-01-02') AS d");
  eq([1, 'two', [1, 2]], [r.rows[0].one, r.rows[0].two, r.rows[0].arr], 'row');
});
await check('parameterised query', async () => {
  const r = await client.query('SELECT number * $1 AS x FROM numbers(5) WHERE number >= $2 ORDER BY x', [10, 3]);
  eq(['30', '40'], r.rows.map((x) => x.x), 'rows');
});
await check('cursor', async () => {
  const cursor = client.query(new Cursor('SELECT number AS n FROM numbers(250)'));
  const sizes = [];
  for (;;) {
    const rows = await cursor.read(100);
    sizes.push(rows.length);
    if (!rows.length) break;
  }
  await cursor.close();
  eq([100, 100, 50, 0], sizes, 'batch sizes');
});
await check('error with SQLSTATE', async () => {
  try {
    await client.query('SELECT * FROM no_such_table');
    throw new Error('no error');
  } catch (e) {
    eq('42P01', e.code, 'code');
  }
});
await client.end().catch(() => {});
console.log(`${passed} passed, ${failed} failed, 0 skipped`);
