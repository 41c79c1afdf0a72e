import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, streamRows, type EngineHarness, type StreamedRows } from '../helpers/engine-harness.js';

/**
 * Streaming joins with versioned_kv / changelog_kv streams (cases of Proton's stream smoke suite 0014 and
 * 0009): append ⋈ versioned_kv enriches each event with the version valid when it arrives, versioned_kv ⋈
 * versioned_kv emits a changelog (`_tp_delta`), ASOF keeps keep_versions versions. Each case waits for a
 * sentinel row emitted after everything it checks (emissions are in arrival order).
 */
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngine('join-versioned');
});

afterAll(() => h.close());

const exec = (sql: string): Promise<void> => h.exec(sql);

const stream = (sql: string): Promise<StreamedRows> => streamRows(h, sql);

describe('joins with versioned streams', () => {
  it('append ⋈ versioned_kv: each event takes the version of its key valid when it arrives', async () => {
    await exec('CREATE STREAM vj_l (i int, s string)');
    await exec("CREATE STREAM vj_r (ii int, ss string) PRIMARY KEY ss SETTINGS mode='versioned_kv'");
    // History of the versioned side counts: the join reads it from the start.
    await exec("INSERT INTO vj_r (ii, ss) VALUES (1, 's1'), (2, 's1'), (3, 's3')");
    const q = await stream('SELECT i, ii, s FROM vj_l INNER JOIN vj_r ON s = ss');
    try {
      await exec("INSERT INTO vj_l (i, s) VALUES (1, 's1'), (2, 's3')");
      await q.waitFor((r) => r.length >= 2);
      await exec("INSERT INTO vj_r (ii, ss) VALUES (4, 's1'), (5, 's3')");
      await exec("INSERT INTO vj_l (i, s) VALUES (11, 's1'), (22, 's3')");
      await q.waitFor((r) => r.length >= 4);
      await exec("INSERT INTO vj_r (ii, ss) VALUES (100, 'end')");
      await exec("INSERT INTO vj_l (i, s) VALUES (100, 'end')");
      await q.waitFor((r) => r.some((x) => x[2] === 'end'));
      expect(q.rows).toEqual([
        ['1', '2', 's1'],
        ['2', '3', 's3'],
        ['11', '4', 's1'],
        ['22', '5', 's3'],
        ['100', '100', 'end'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('append ⋈ versioned_kv on part of the primary key joins every live key', async () => {
    await exec('CREATE STREAM vj_pl (i1 int, i2 int, s string)');
    await exec("CREATE STREAM vj_pr (ii1 int, ii2 int, ss string) PRIMARY KEY (ii1, ii2) SETTINGS mode='versioned_kv'");
    const q = await stream('SELECT s, ss, ii2 FROM vj_pl INNER JOIN vj_pr ON i1 = ii1');
    try {
      await exec("INSERT INTO vj_pr (ii1, ii2, ss) VALUES (1, 1, 'ss11')");
      await exec("INSERT INTO vj_pl (i1, i2, s) VALUES (1, 1, 's11')");
      await q.waitFor((r) => r.length >= 1);
      await exec("INSERT INTO vj_pr (ii1, ii2, ss) VALUES (1, 1, 'ss112')");
      await exec("INSERT INTO vj_pr (ii1, ii2, ss) VALUES (1, 2, 'ss12')");
      await exec("INSERT INTO vj_pl (i1, i2, s) VALUES (1, 2, 's12')");
      await q.waitFor((r) => r.length >= 3);
      await exec("INSERT INTO vj_pr (ii1, ii2, ss) VALUES (9, 9, 'end')");
      await exec("INSERT INTO vj_pl (i1, i2, s) VALUES (9, 9, 'end')");
      await q.waitFor((r) => r.some((x) => x[0] === 'end'));
      expect([q.rows[0], ...q.rows.slice(1, 3).sort((a, b) => a[1]!.localeCompare(b[1]!)), q.rows[3]]).toEqual([
        ['s11', 'ss11', '1'],
        ['s12', 'ss112', '1'],
        ['s12', 'ss12', '2'],
        ['end', 'end', '9'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('versioned_kv ⋈ versioned_kv: a new version on either side retracts what the old one joined', async () => {
    await exec("CREATE STREAM vv_l (i int, s string) PRIMARY KEY s SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM vv_r (ii int, ss string) PRIMARY KEY ss SETTINGS mode='versioned_kv'");
    const q = await stream('SELECT i, ii, s, _tp_delta FROM vv_l JOIN vv_r ON s = ss');
    try {
      await exec("INSERT INTO vv_r (ii, ss) VALUES (1, 's1')");
      await exec("INSERT INTO vv_l (i, s) VALUES (0, 's1')");
      await q.waitFor((r) => r.length >= 1);
      await exec("INSERT INTO vv_l (i, s) VALUES (2, 's1')");
      await q.waitFor((r) => r.length >= 3);
      await exec("INSERT INTO vv_r (ii, ss) VALUES (3, 's1')");
      await q.waitFor((r) => r.length >= 5);
      await exec("INSERT INTO vv_r (ii, ss) VALUES (9, 'end')");
      await exec("INSERT INTO vv_l (i, s) VALUES (9, 'end')");
      await q.waitFor((r) => r.some((x) => x[2] === 'end'));
      expect(q.rows).toEqual([
        ['0', '1', 's1', '1'],
        ['0', '1', 's1', '-1'],
        ['2', '1', 's1', '1'],
        ['2', '1', 's1', '-1'],
        ['2', '3', 's1', '1'],
        ['9', '9', 'end', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('changelog LEFT JOIN changelog: the default row is retracted when the key gets a match and comes back when it loses it', async () => {
    await exec("CREATE STREAM lo_l (i int, s string) PRIMARY KEY i SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM lo_r (ii int, ss string) PRIMARY KEY ii SETTINGS mode='changelog_kv'");
    const q = await stream('SELECT i, s, ss, _tp_delta FROM lo_l LEFT JOIN lo_r ON i = ii');
    try {
      await exec("INSERT INTO lo_l (i, s) VALUES (1, 'a'), (2, 'b')");
      await q.waitFor((r) => r.length >= 2);
      await exec("INSERT INTO lo_r (ii, ss) VALUES (1, 'x')");
      await q.waitFor((r) => r.length >= 4);
      // A new version of the right row: the joined row is replaced, the default row stays retracted.
      await exec("INSERT INTO lo_r (ii, ss, _tp_delta) VALUES (1, 'x', -1), (1, 'y', 1)");
      await q.waitFor((r) => r.length >= 6);
      await exec("INSERT INTO lo_r (ii, ss, _tp_delta) VALUES (1, 'y', -1)");
      await q.waitFor((r) => r.length >= 8);
      await exec("INSERT INTO lo_l (i, s) VALUES (9, 'end')");
      await q.waitFor((r) => r.some((x) => x[1] === 'end'));
      expect(q.rows).toEqual([
        ['1', 'a', '', '1'],
        ['2', 'b', '', '1'],
        ['1', 'a', '', '-1'],
        ['1', 'a', 'x', '1'],
        ['1', 'a', 'x', '-1'],
        ['1', 'a', 'y', '1'],
        ['1', 'a', 'y', '-1'],
        ['1', 'a', '', '1'],
        ['9', 'end', '', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('a retracting aggregation over versioned_kv ⋈ versioned_kv', async () => {
    await exec("CREATE STREAM va_l (i int, s string) PRIMARY KEY s SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM va_r (ii int, ss string) PRIMARY KEY ss SETTINGS mode='versioned_kv'");
    const q = await stream('SELECT s, sum(i + ii) AS total FROM va_l JOIN va_r ON s = ss GROUP BY s EMIT PERIODIC 100ms');
    try {
      await exec("INSERT INTO va_r (ii, ss) VALUES (1, 's1')");
      await exec("INSERT INTO va_l (i, s) VALUES (3, 's1')");
      await q.waitFor((r) => r.some((x) => x[1] === '4'));
      await exec("INSERT INTO va_l (i, s) VALUES (2, 's1')");
      await q.waitFor((r) => r.some((x) => x[1] === '3'));
      await exec("INSERT INTO va_r (ii, ss) VALUES (4, 's1')");
      await q.waitFor((r) => r.some((x) => x[1] === '6'));
    } finally {
      q.stop();
    }
  });

  it('append ASOF versioned_kv keeps keep_versions versions per key', async () => {
    await exec('CREATE STREAM va2_l (i int, s string)');
    await exec("CREATE STREAM va2_r (ii int, ss string) PRIMARY KEY ss SETTINGS mode='versioned_kv'");
    const q = await stream('SELECT i, ii, s FROM va2_l ASOF JOIN va2_r ON s = ss AND i < ii SETTINGS keep_versions = 2');
    try {
      await exec("INSERT INTO va2_r (ii, ss) VALUES (1, 's1'), (2, 's1'), (3, 's3')");
      await exec("INSERT INTO va2_l (i, s) VALUES (0, 's1'), (2, 's3')");
      await q.waitFor((r) => r.length >= 2);
      await exec("INSERT INTO va2_r (ii, ss) VALUES (4, 's1'), (5, 's3')");
      await exec("INSERT INTO va2_l (i, s) VALUES (0, 's1'), (4, 's3')");
      await q.waitFor((r) => r.length >= 4);
      await exec("INSERT INTO va2_r (ii, ss) VALUES (100, 'end')");
      await exec("INSERT INTO va2_l (i, s) VALUES (99, 'end')");
      await q.waitFor((r) => r.some((x) => x[2] === 'end'));
      expect(q.rows).toEqual([
        ['0', '1', 's1'],
        ['2', '3', 's3'],
        ['0', '2', 's1'],
        ['4', '5', 's3'],
        ['99', '100', 'end'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('append ⋈ changelog() ⋈ changelog: an enrichment feeds an enrichment, only new events of the driver emit', async () => {
    await exec('CREATE STREAM j3e_a (i int, k1 int, k2 string)');
    await exec('CREATE STREAM j3e_b (j int, kk1 int, kk2 string)');
    await exec("CREATE STREAM j3e_c (k int, kkk1 int, kkk2 string) SETTINGS mode='changelog'");
    const q = await stream(
      'SELECT a.i, b.j, c.k, c.kkk2 FROM j3e_a AS a INNER ALL JOIN changelog(j3e_b, kk1, kk2) AS b ON a.k1 = b.kk1 AND a.k2 = b.kk2 ' +
        'INNER ALL JOIN j3e_c AS c ON a.k1 = c.kkk1 AND a.k2 = c.kkk2',
    );
    try {
      await exec("INSERT INTO j3e_c (k, kkk1, kkk2) VALUES (3, 1, 'k')");
      await exec("INSERT INTO j3e_b (j, kk1, kk2) VALUES (2, 1, 'k')");
      await exec("INSERT INTO j3e_a (i, k1, k2) VALUES (1, 1, 'k')");
      await q.waitFor((r) => r.length >= 1);
      // New versions on b and a retraction on c change no earlier output; the next event finds c's key gone.
      await exec("INSERT INTO j3e_b (j, kk1, kk2) VALUES (4, 1, 'k')");
      await exec("INSERT INTO j3e_c (k, kkk1, kkk2, _tp_delta) VALUES (3, 1, 'k', -1)");
      await exec("INSERT INTO j3e_a (i, k1, k2) VALUES (1, 1, 'k')");
      await exec("INSERT INTO j3e_c (k, kkk1, kkk2) VALUES (5, 1, 'k'), (9, 9, 'end')");
      await exec("INSERT INTO j3e_b (j, kk1, kk2) VALUES (9, 9, 'end')");
      await exec("INSERT INTO j3e_a (i, k1, k2) VALUES (9, 9, 'end')");
      await q.waitFor((r) => r.some((x) => x[3] === 'end'));
      expect(q.rows).toEqual([
        ['1', '2', '3', 'k'],
        ['9', '9', '9', 'end'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('changelog() ⋈ changelog() ⋈ changelog(): the inner join emits a changelog whose retractions reach the outer one', async () => {
    await exec('CREATE STREAM j3c_1 (i int, k1 string)');
    await exec('CREATE STREAM j3c_2 (j int, k2 string)');
    await exec('CREATE STREAM j3c_3 (k int, k3 string)');
    const q = await stream(
      'SELECT c1.i, c2.j, c3.k, _tp_delta FROM changelog(j3c_1, k1) AS c1 INNER JOIN changelog(j3c_2, k2) AS c2 ON c1.i = c2.j ' +
        'INNER JOIN changelog(j3c_3, k3) AS c3 ON c1.i = c3.k',
    );
    try {
      await exec("INSERT INTO j3c_1 (i, k1) VALUES (1, 'k1')");
      await exec("INSERT INTO j3c_2 (j, k2) VALUES (1, 'k2')");
      await exec("INSERT INTO j3c_3 (k, k3) VALUES (1, 'k3')");
      await q.waitFor((r) => r.length >= 1);
      await exec("INSERT INTO j3c_1 (i, k1) VALUES (2, 'k1')");
      await q.waitFor((r) => r.length >= 2);
      await exec("INSERT INTO j3c_2 (j, k2) VALUES (2, 'k2')");
      // (1, 1, 1) was retracted: the new version of k3 retracts nothing more and joins only (2, 2).
      await exec("INSERT INTO j3c_3 (k, k3) VALUES (2, 'k3')");
      await q.waitFor((r) => r.length >= 3);
      await exec("INSERT INTO j3c_3 (k, k3) VALUES (9, 'end')");
      await exec("INSERT INTO j3c_1 (i, k1) VALUES (9, 'end')");
      await exec("INSERT INTO j3c_2 (j, k2) VALUES (9, 'end')");
      await q.waitFor((r) => r.some((x) => x[0] === '9'));
      expect(q.rows).toEqual([
        ['1', '1', '1', '1'],
        ['1', '1', '1', '-1'],
        ['2', '2', '2', '1'],
        ['9', '9', '9', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it("SELECT * over changelog joins: no side's _tp_delta, one at the end; a chain of three also shows each _tp_time", async () => {
    await exec('CREATE STREAM jstar_1 (i int, k1 string)');
    await exec('CREATE STREAM jstar_2 (j int, k2 string)');
    await exec('CREATE STREAM jstar_3 (k int, k3 string)');
    const two = await stream('SELECT * FROM changelog(jstar_1, k1) AS c1 INNER JOIN changelog(jstar_2, k2) AS c2 ON c1.i = c2.j');
    const three = await stream(
      'SELECT * FROM changelog(jstar_1, k1) AS c1 INNER JOIN changelog(jstar_2, k2) AS c2 ON c1.i = c2.j INNER JOIN changelog(jstar_3, k3) AS c3 ON c1.i = c3.k',
    );
    try {
      await exec("INSERT INTO jstar_1 (i, k1, _tp_time) VALUES (1, 'a', '2023-01-01 00:00:01')");
      await exec("INSERT INTO jstar_2 (j, k2, _tp_time) VALUES (1, 'b', '2023-01-01 00:00:02')");
      await exec("INSERT INTO jstar_3 (k, k3, _tp_time) VALUES (1, 'c', '2023-01-01 00:00:03')");
      await two.waitFor(1);
      await three.waitFor(1);
      expect(two.columns).toEqual(['i', 'k1', 'j', 'k2', '_tp_delta']);
      expect(two.rows).toEqual([['1', 'a', '1', 'b', '1']]);
      expect(three.columns).toEqual(['i', 'k1', '_tp_time', 'j', 'k2', 'c2._tp_time', 'k', 'k3', 'c3._tp_time', '_tp_delta']);
      expect(three.rows).toEqual([['1', 'a', '2023-01-01 00:00:01.000', '1', 'b', '2023-01-01 00:00:02.000', '1', 'c', '2023-01-01 00:00:03.000', '1']]);
    } finally {
      two.stop();
      three.stop();
    }
  });

  it('versioned_kv ⋈ versioned_kv ⋈ versioned_kv: a.kk2 in the second ON names the first join\'s kk2', async () => {
    await exec("CREATE STREAM j3v_a (i int, k1 int, k2 string) PRIMARY KEY (k1, k2) SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM j3v_b (j int, kk1 int, kk2 string) PRIMARY KEY (kk1, kk2) SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM j3v_c (k int, kkk1 int, kkk2 string) PRIMARY KEY (kkk1, kkk2) SETTINGS mode='versioned_kv'");
    const q = await stream(
      'SELECT a.i, b.j, c.k, _tp_delta FROM j3v_a AS a INNER ALL JOIN j3v_b AS b ON a.k1 = b.kk1 AND a.k2 = b.kk2 ' +
        'INNER ALL JOIN j3v_c AS c ON b.kk1 = c.kkk1 AND a.kk2 = c.kkk2',
    );
    try {
      await exec("INSERT INTO j3v_c (k, kkk1, kkk2) VALUES (3, 1, 'k')");
      await exec("INSERT INTO j3v_b (j, kk1, kk2) VALUES (2, 1, 'k')");
      await exec("INSERT INTO j3v_a (i, k1, k2) VALUES (1, 1, 'k')");
      await q.waitFor((r) => r.length >= 1);
      await exec("INSERT INTO j3v_b (j, kk1, kk2) VALUES (4, 1, 'k')");
      await q.waitFor((r) => r.length >= 3);
      await exec("INSERT INTO j3v_a (i, k1, k2) VALUES (5, 1, 'k')");
      await q.waitFor((r) => r.length >= 5);
      expect(q.rows).toEqual([
        ['1', '2', '3', '1'],
        ['1', '2', '3', '-1'],
        ['1', '4', '3', '1'],
        ['1', '4', '3', '-1'],
        ['5', '4', '3', '1'],
      ]);
    } finally {
      q.stop();
    }
  });
});
