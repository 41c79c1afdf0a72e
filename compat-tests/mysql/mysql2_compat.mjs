// mysql2 (npm, the repository's devDependency) against Hadron's MySQL port (COMPAT_MYSQL_PORT):
// query, execute with parameters, errors, a streamed result. Prints PASS / FAIL lines.
import mysql from 'mysql2/promise';

const port = Number(process.env['COMPAT_MYSQL_PORT'] || 0);
if (!port) {
  console.log('skip  mysql2: the server has no MySQL port');
  process.exit(0);
}
const db = `mysql2_${Date.now().toString(36)}`;
const connect = (extra = {}) => mysql.createConnection({ host: '127.0.0.1', port, user: 'default', password: '', ...extra });

/** @param {string} name @param {() => Promise<void>} fn */
async function check(name, fn) {
  try {
    await fn();
    console.log(`PASS  mysql2: ${name}`);
  } catch (e) {
    console.log(`FAIL  mysql2: ${name}`);
    console.log(`      ${e instanceof Error ? e.message : String(e)}`);
  }
}
/** @param {unknown} a @param {unknown} b @param {string} what */
function eq(a, b, what) {
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  if (sa !== sb) throw new Error(`${what}: expected ${sb}, got ${sa}`);
}

await check('query', async () => {
  const c = await connect();
  const [rows] = await c.query('SELECT 1 AS one, DATABASE() AS db, CONNECTION_ID() = ? AS me', [c.threadId]);
  eq(rows, [{ one: 1, db: 'default', me: 1 }], 'rows');
  await c.end();
});
await check('create a table', async () => {
  const c = await connect();
  await c.query(`CREATE DATABASE ${db}`);
  await c.query(`CREATE TABLE ${db}.t (id Int64, name String, price Decimal(9, 2), at DateTime, flag Bool, note Nullable(String)) ENGINE = MergeTree ORDER BY id`);
  await c.end();
});
await check('execute with parameters (insert and select)', async () => {
  const c = await connect({ database: db, timezone: 'Z', decimalNumbers: true });
  for (let i = 1; i <= 20; i++) {
    await c.execute('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)', [i, `item ${i} 'q'`, `${i}.25`, new Date(Date.UTC(2024, 0, i, 12)), i % 2 === 0, i % 3 ? null : `n${i}`]);
  }
  const [rows] = await c.execute('SELECT id, name, price, at, flag, note FROM t WHERE id BETWEEN ? AND ? AND name LIKE ? ORDER BY id', [2, 3, 'item%']);
  eq(rows, [
    { id: 2, name: "item 2 'q'", price: 2.25, at: new Date(Date.UTC(2024, 0, 2, 12)), flag: 1, note: null },
    { id: 3, name: "item 3 'q'", price: 3.25, at: new Date(Date.UTC(2024, 0, 3, 12)), flag: 0, note: 'n3' },
  ], 'rows');
  await c.end();
});
await check('query with client-side placeholders', async () => {
  const c = await connect({ database: db });
  const [rows] = await c.query('SELECT count() AS n FROM t WHERE flag = ? AND id > ?', [true, 10]);
  eq(rows, [{ n: 5 }], 'rows');
  await c.end();
});
await check('errors', async () => {
  const c = await connect({ database: db });
  for (const [sql, errno] of [['SELECT * FROM nope', 1146], ['SELEC 1', 1064], ['SELECT nope FROM t', 1054]]) {
    try {
      await c.query(String(sql));
      throw new Error(`${sql}: no error`);
    } catch (e) {
      const err = /** @type {{ errno?: number, message: string }} */ (e);
      if (err.errno !== errno) throw new Error(`${sql}: expected ${errno}, got ${err.errno} ${err.message}`);
    }
  }
  const [rows] = await c.execute('SELECT ? AS v', ['still fine']);
  eq(rows, [{ v: 'still fine' }], 'after errors');
  await c.end();
});
await check('stream a large result', async () => {
  const c = await connect();
  let n = 0;
  const stream = c.connection.query('SELECT number FROM numbers(500000)').stream();
  for await (const _ of stream) n++;
  eq(n, 500000, 'rows');
  await c.end();
});
await check('users with passwords (native, caching_sha2 switch)', async () => {
  for (const [user, password] of [['alice', 'secret'], ['bob', 'hunter2']]) {
    const c = await connect({ user, password });
    const [rows] = await c.query('SELECT currentUser() AS u');
    eq(rows, [{ u: user }], user);
    await c.end();
  }
});
await check('drop the database', async () => {
  const c = await connect();
  await c.query(`DROP DATABASE ${db}`);
  await c.end();
});
