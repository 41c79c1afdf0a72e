import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawPgClient, frontend } from './postgres-helpers.js';

let server: TestServer;
let port: number;
let client: pg.Client;

beforeAll(async () => {
  server = await startTestServer({}, ['postgres']);
  port = server.server.ports.postgres!;
  await server.query("CREATE TABLE dt (id UInt32, name String DEFAULT 'n', v Nullable(Decimal(10, 2)) COMMENT 'a value') ENGINE = MergeTree ORDER BY id COMMENT 'demo table'");
  await server.query("INSERT INTO dt VALUES (1, 'a', 1.25), (2, 'b', NULL)");
  client = new pg.Client({ host: '127.0.0.1', port, user: 'default', database: 'default' });
  client.on('error', () => {});
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
});

const rows = async (sql: string, values?: unknown[]) => (await client.query(sql, values)).rows as Record<string, unknown>[];

describe('Postgres dialect shims', () => {
  it('E strings, standard strings with backslashes, LIMIT ALL, public., regex operators', async () => {
    expect(await rows("SELECT E'a\\tb' AS e, 'c:\\dir' AS s")).toEqual([{ e: 'a\tb', s: 'c:\\dir' }]);
    expect(await rows('SELECT id FROM public.dt ORDER BY id LIMIT ALL')).toEqual([{ id: '1' }, { id: '2' }]);
    expect(await rows("SELECT 'abc' ~ 'b' AS a, 'abc' !~ 'b' AS b, 'ABC' ~* 'b' AS c, 'abc' OPERATOR(pg_catalog.~) '^a' AS d")).toEqual([{ a: 1, b: 0, c: 1, d: 1 }]);
    expect(await rows("SELECT name FROM dt WHERE name = 'a' COLLATE pg_catalog.default")).toEqual([{ name: 'a' }]);
  });

  it('casts to Postgres type names and regclass', async () => {
    const r = await rows("SELECT '5'::int8 AS a, 'x'::name AS b, '1.5'::numeric AS c, 'dt'::regclass = 'public.dt'::regclass AS d, 'pg_class'::regclass AS e, '{1,2}'::int4[] AS f");
    expect(r).toEqual([{ a: '5', b: 'x', c: '1.5000000000', d: 1, e: 1259, f: [1, 2] }]);
  });

  it('names t.col select items col, as Postgres does', async () => {
    const r = await client.query('SELECT d.id, d.name FROM dt d ORDER BY d.id LIMIT 1');
    expect(r.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('DECLARE / FETCH / MOVE / CLOSE read a cursor incrementally', async () => {
    await client.query('BEGIN');
    await client.query('DECLARE c1 CURSOR FOR SELECT number AS n FROM numbers(10)');
    expect((await client.query('FETCH 3 FROM c1')).rows).toEqual([{ n: '0' }, { n: '1' }, { n: '2' }]);
    const moved = await client.query('MOVE 4 IN c1');
    expect(moved.command).toBe('MOVE');
    expect((await client.query('FETCH ALL FROM c1')).rows).toEqual([{ n: '7' }, { n: '8' }, { n: '9' }]);
    expect((await client.query('FETCH NEXT FROM c1')).rows).toEqual([]);
    await client.query('CLOSE c1');
    await client.query('COMMIT');
    await expect(client.query('FETCH 1 FROM c1')).rejects.toMatchObject({ code: '34000' });
  });

  it('resolves unqualified pg_* catalog tables and reads pg_description, pg_attrdef, pg_database', async () => {
    expect(await rows("SELECT relname, relkind FROM pg_class WHERE relname = 'dt'")).toEqual([{ relname: 'dt', relkind: 'r' }]);
    expect(await rows("SELECT description FROM pg_description WHERE objoid = 'dt'::regclass ORDER BY objsubid")).toEqual([{ description: 'demo table' }, { description: 'a value' }]);
    expect(await rows("SELECT adnum, adbin FROM pg_attrdef WHERE adrelid = 'dt'::regclass")).toEqual([{ adnum: 2, adbin: "'n'" }]);
    expect(await rows("SELECT datname FROM pg_database WHERE datname = 'default'")).toEqual([{ datname: 'default' }]);
    expect(await rows("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'dt'::regclass ORDER BY attnum")).toEqual([
      { t: 'bigint' },
      { t: 'text' },
      { t: 'numeric(10,2)' },
    ]);
  });
});

describe('psql catalog queries answered by recognition', () => {
  it("\\d name: the column list (correlated subqueries)", async () => {
    const oid = (await rows("SELECT 'dt'::regclass AS oid"))[0]!.oid;
    const r = await client.query(`SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '${String(oid)}' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;`);
    expect(r.rows.map((x: Record<string, unknown>) => Object.values(x))).toEqual([
      ['id', 'bigint', null, true, null, '', ''],
      ['name', 'text', "'n'", true, null, '', ''],
      ['v', 'numeric(10,2)', null, false, null, '', ''],
    ]);
  });

  it('\\d+ name: the relation details (unnest of reloptions)', async () => {
    const oid = (await rows("SELECT 'dt'::regclass AS oid"))[0]!.oid;
    const r = await client.query(`SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')
, c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = '${String(oid)}';`);
    expect(r.rows.length).toBe(1);
    expect(r.rows[0].relkind).toBe('r');
    expect(r.rows[0].amname).toBe('heap');
  });

  it('\\d footer queries over empty catalogs return no rows', async () => {
    const r = await client.query(`SELECT pol.polname, pol.polpermissive,
  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid)
FROM pg_catalog.pg_policy pol
WHERE pol.polrelid = '1' ORDER BY 1;`);
    expect(r.rows).toEqual([]);
    expect(r.fields.map((f) => f.name)).toEqual(['polname', 'polpermissive', 'case', 'pg_get_expr']);
  });
});

describe('psql \\du, \\dT and catalog functions', () => {
  it('\\du lists the configured users (correlated ARRAY over pg_auth_members)', async () => {
    const r = await client.query(`SELECT r.rolname, r.rolsuper, r.rolinherit,
  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
  r.rolconnlimit, r.rolvaliduntil,
  ARRAY(SELECT b.rolname
        FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)
        WHERE m.member = r.oid) as memberof
, r.rolreplication
, r.rolbypassrls
FROM pg_catalog.pg_roles r
WHERE r.rolname !~ '^pg_'
ORDER BY 1;`);
    expect(r.rows).toEqual([{ rolname: 'default', rolsuper: true, rolinherit: true, rolcreaterole: true, rolcreatedb: true, rolcanlogin: true, rolconnlimit: -1, rolvaliduntil: null, memberof: [], rolreplication: false, rolbypassrls: true }]);
  });

  it('\\dT finds no user-defined types', async () => {
    const r = await client.query(`SELECT n.nspname as "Schema",
  pg_catalog.format_type(t.oid, NULL) AS "Name",
  pg_catalog.obj_description(t.oid, 'pg_type') as "Description"
FROM pg_catalog.pg_type t
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))
  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)
      AND n.nspname <> 'pg_catalog'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_type_is_visible(t.oid)
ORDER BY 1, 2;`);
    expect(r.rows).toEqual([]);
    expect(r.fields.map((f) => f.name)).toEqual(['Schema', 'Name', 'Description']);
  });

  it('obj_description, col_description, pg_table_size, pg_size_pretty read the catalog', async () => {
    const r = await rows("SELECT obj_description('dt'::regclass, 'pg_class') AS t, col_description('dt'::regclass, 3) AS c, pg_table_size('dt'::regclass) >= 0 AS s, pg_size_pretty(20000) AS p, pg_size_pretty(1048576000) AS q");
    expect(r).toEqual([{ t: 'demo table', c: 'a value', s: 1, p: '20 kB', q: '1000 MB' }]);
  });
});

describe('pgjdbc catalog queries', () => {
  it('getIndexInfo-style queries that inner-join pg_index return no rows with their column names', async () => {
    const r = await client.query(`SELECT tmp.TABLE_CAT, tmp.INDEX_NAME, trim(both '"' from pg_catalog.pg_get_indexdef(tmp.CI_OID, tmp.ORDINAL_POSITION, false)) AS COLUMN_NAME,
  CASE tmp.AM_NAME WHEN 'btree' THEN CASE tmp.I_INDOPTION[tmp.ORDINAL_POSITION - 1] & 1::smallint WHEN 1 THEN 'D' ELSE 'A' END ELSE NULL END AS ASC_OR_DESC
FROM (SELECT NULL AS TABLE_CAT, ci.relname AS INDEX_NAME, (information_schema._pg_expandarray(i.indkey)).n AS ORDINAL_POSITION, ci.oid AS CI_OID, i.indoption AS I_INDOPTION, am.amname AS AM_NAME
  FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN pg_catalog.pg_index i ON (ct.oid = i.indrelid)
  JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) JOIN pg_catalog.pg_am am ON (ci.relam = am.oid) WHERE true AND ct.relname = 'dt') AS tmp`);
    expect(r.rows).toEqual([]);
    expect(r.fields.map((f) => f.name)).toEqual(['TABLE_CAT', 'INDEX_NAME', 'COLUMN_NAME', 'ASC_OR_DESC']);
  });

  it('TypeInfoCache: the search-path ranking and the composite-type subquery run as real SQL', async () => {
    const r = await client.query(
      `SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = $1  ORDER BY sp.r, pg_type.oid DESC`,
      [1007],
    );
    expect(r.rows).toEqual([{ is_array: 1, typtype: 'b', typname: '_int4', oid: '1007' }]);
    const t = await client.query(
      "SELECT t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON (t.typnamespace = n.oid) WHERE n.nspname != 'pg_toast' AND (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)) AND t.typname = 'uuid'",
    );
    expect(t.rows).toEqual([{ typname: 'uuid' }]);
  });
});

describe('extended protocol details', () => {
  it('Describe statement sends ParameterDescription and RowDescription', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    const types = Buffer.alloc(2 + 4);
    types.writeInt16BE(1, 0);
    types.writeInt32BE(23, 2);
    raw.write(frontend('P', Buffer.concat([Buffer.from('s1\0SELECT id, name FROM dt WHERE id = $1\0'), types])));
    raw.write(frontend('D', 'Ss1\0'));
    raw.write(frontend('S'));
    const msgs = await raw.untilReady();
    expect(msgs.map((m) => m.type)).toEqual(['1', 't', 'T', 'Z']);
    const t = msgs[1]!.body;
    expect([t.readInt16BE(0), t.readInt32BE(2)]).toEqual([1, 23]);
    expect(msgs[2]!.body.toString('latin1')).toContain('id\0');
    // The statement still runs after being described.
    const bind = Buffer.concat([Buffer.from('\0s1\0'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), Buffer.from('1'), Buffer.from([0, 0])]);
    raw.write(frontend('B', bind));
    raw.write(frontend('E', '\0\0\0\0\0'));
    raw.write(frontend('C', 'Ss1\0'));
    raw.write(frontend('S'));
    const run = await raw.untilReady();
    expect(run.map((m) => m.type)).toEqual(['2', 'D', 'C', '3', 'Z']);
    raw.close();
  });

  it('keeps a suspended portal across Sync inside a transaction (pgjdbc setFetchSize)', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(frontend('Q', 'BEGIN\0'));
    await raw.untilReady();
    raw.write(frontend('P', '\0SELECT number FROM numbers(5)\0\0\0'));
    raw.write(frontend('B', 'C_1\0\0\0\0\0\0\0\0'));
    raw.write(frontend('E', Buffer.concat([Buffer.from('C_1\0'), Buffer.from([0, 0, 0, 2])])));
    raw.write(frontend('S'));
    const first = await raw.untilReady();
    expect(first.map((m) => m.type)).toEqual(['1', '2', 'D', 'D', 's', 'Z']);
    expect(first[5]!.body.toString()).toBe('T');
    raw.write(frontend('E', Buffer.concat([Buffer.from('C_1\0'), Buffer.from([0, 0, 0, 2])])));
    raw.write(frontend('H'));
    const second: string[] = [];
    for (let i = 0; i < 3; i++) second.push((await raw.message())!.type);
    expect(second).toEqual(['D', 'D', 's']);
    raw.write(frontend('E', Buffer.concat([Buffer.from('C_1\0'), Buffer.from([0, 0, 0, 2])])));
    raw.write(frontend('S'));
    const third = await raw.untilReady();
    expect(third.map((m) => m.type)).toEqual(['D', 'C', 'Z']);
    expect(third[1]!.body.toString()).toBe('SELECT 5\0');
    raw.close();
  });

  it('answers an empty query with EmptyQueryResponse', async () => {
    const raw = await RawPgClient.connect(port);
    await raw.startup();
    raw.write(frontend('Q', ' ; \0'));
    expect((await raw.untilReady()).map((m) => m.type)).toEqual(['I', 'Z']);
    raw.close();
  });
});
