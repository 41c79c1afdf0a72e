import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { parseSqlLogic } from './sqllogic/runner.js';

const root = path.join(import.meta.dirname, 'sqllogic');
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.slt'))
  .sort();

describe.each(files)('%s', (file) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const cases = parseSqlLogic(path.join(root, file));
  it.each(cases.map((c) => [`line ${c.line}: ${c.sql.slice(0, 60).replace(/\s+/g, ' ')}`, c] as const))('%s', async (_name, c) => {
    const r = await server.raw(c.sql, { session_id: `slt-${file}`, default_format: 'TabSeparated' });
    const code = r.headers.get('x-clickhouse-exception-code');
    if (c.kind === 'error') {
      expect(code, `expected an error, got: ${r.body}`).not.toBeNull();
      if (c.errorCode !== undefined) expect(Number(code), r.body).toBe(c.errorCode);
      return;
    }
    expect(code, r.body).toBeNull();
    expect(r.status, r.body).toBe(200);
    if (c.kind === 'query') {
      let got = r.body.split('\n');
      if (got[got.length - 1] === '') got.pop();
      let want = [...c.expected!];
      if (c.sort) {
        got = got.sort();
        want = want.sort();
      }
      expect(got).toEqual(want);
    }
  });
});
