import { describe, expect, it } from 'vitest';
import { MalformedPacketError, PacketFramer, PacketTooLargeError, PacketWriter, PayloadReader } from '../../protocols/mysql/packet-codec.js';
import { parseHandshakeResponse } from '../../protocols/mysql/handshake.js';
import { bindStatement, parseExecuteHead, prepareStatement, readParams } from '../../protocols/mysql/prepared-statements.js';
import { splitStatements, countPlaceholders } from '../../protocols/mysql/sql-scanner.js';
import { classify, rewriteExpressions, type CompatContext } from '../../protocols/mysql/mysql-compat.js';
import { MysqlVariables } from '../../protocols/mysql/mysql-variables.js';

function sequence(): { next(): number } {
  let n = 0;
  return { next: () => n++ };
}

describe('MySQL packet codec', () => {
  it('frames packets and reassembles them from any split of the byte stream', () => {
    const w = new PacketWriter(sequence());
    w.begin().lenencString('hello').end();
    w.begin().u8(0x0e).end();
    w.begin().end(); // an empty payload
    const bytes = w.take();
    for (let cut = 0; cut <= bytes.length; cut++) {
      const f = new PacketFramer(1 << 20);
      const got = [...f.push(bytes.subarray(0, cut)), ...f.push(bytes.subarray(cut))];
      expect(got.map((p) => [p.sequenceId, p.payload.toString('hex')])).toEqual([[0, '0568656c6c6f'], [1, '0e'], [2, '']]);
    }
  });

  it('splits payloads of 16 MiB and more and joins them again', () => {
    const big = Buffer.alloc(0xffffff + 10, 7);
    const w = new PacketWriter(sequence());
    w.begin().bytes(big).end();
    const bytes = w.take();
    expect(bytes.length).toBe(big.length + 8);
    const [p] = new PacketFramer(64 << 20).push(bytes);
    expect(p!.payload.equals(big)).toBe(true);
  });

  it('refuses a declared size over the limit before buffering it', () => {
    const f = new PacketFramer(1000);
    expect(() => f.push(Buffer.from([0xe9, 0x03, 0x00, 0x00]))).toThrow(PacketTooLargeError);
  });

  it('length-encoded integers round-trip at every width', () => {
    for (const v of [0, 250, 251, 65535, 65536, 0xffffff, 0x1000000, 2 ** 40]) {
      const w = new PacketWriter(sequence());
      w.begin().lenencInt(v).end();
      const [p] = new PacketFramer(1 << 20).push(w.take());
      expect(new PayloadReader(p!.payload).lenencInt('v')).toBe(v);
    }
  });

  it('every truncation of a handshake response is a MalformedPacketError naming the field', () => {
    const full = Buffer.concat([
      Buffer.from([0x08, 0x82, 0xa8, 0x01]), Buffer.from([0, 0, 0, 1]), Buffer.from([45]), Buffer.alloc(23),
      Buffer.from('bob\0'), Buffer.from([3, 1, 2, 3]), Buffer.from('db\0'), Buffer.from('mysql_native_password\0'),
    ]);
    expect(parseHandshakeResponse(full)).toMatchObject({ user: 'bob', database: 'db', authPlugin: 'mysql_native_password' });
    for (let cut = 0; cut < 36; cut++) {
      expect(() => parseHandshakeResponse(full.subarray(0, cut))).toThrow(MalformedPacketError);
    }
  });
});

describe('MySQL prepared statement parameters', () => {
  it('binds each binary type to a typed engine parameter', () => {
    const stmt = prepareStatement(1, "SELECT ?, ?, ?, ?, '?', ?");
    expect(stmt.paramCount).toBe(5);
    const payload = Buffer.concat([
      Buffer.from([0x17]), Buffer.from([1, 0, 0, 0]), Buffer.from([0]), Buffer.from([1, 0, 0, 0]),
      Buffer.from([0b00010000]), Buffer.from([1]),
      Buffer.from([0x08, 0x80, 0x05, 0x00, 0xfd, 0x00, 0x0a, 0x00, 0x08, 0x00]),
      Buffer.from('ffffffffffffffff', 'hex'), // UInt64 max
      Buffer.from('000000000000f83f', 'hex'), // 1.5
      Buffer.from([3]), Buffer.from('a\\b'),
      Buffer.from([4, 0xe8, 0x07, 2, 29]),
    ]);
    const head = parseExecuteHead(payload);
    const params = readParams(head.reader, stmt);
    expect(params).toEqual([
      { typeName: 'UInt64', text: '18446744073709551615' },
      { typeName: 'Float64', text: '1.5' },
      { typeName: 'String', text: 'a\\\\b' },
      { typeName: 'Date32', text: '2024-02-29' },
      { typeName: 'Nullable(Int64)', text: '\\N' },
    ]);
    expect(bindStatement(stmt, params).sql).toBe("SELECT {mysql_p1:UInt64}, {mysql_p2:Float64}, {mysql_p3:String}, {mysql_p4:Date32}, '?', {mysql_p5:Nullable(Int64)}");
  });

  it('a truncated EXECUTE is malformed at every prefix', () => {
    const stmt = prepareStatement(1, 'SELECT ?');
    const payload = Buffer.concat([Buffer.from([0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0x03, 0x00]), Buffer.from([1, 0, 0, 0])]);
    for (let cut = 1; cut < payload.length; cut++) {
      expect(() => readParams(parseExecuteHead(payload.subarray(0, cut)).reader, prepareStatement(1, 'SELECT ?'))).toThrow(MalformedPacketError);
    }
    expect(readParams(parseExecuteHead(payload).reader, stmt)).toEqual([{ typeName: 'Int32', text: '1' }]);
  });
});

describe('MySQL compatibility table', () => {
  const ctx: CompatContext = {
    variables: new MysqlVariables({ version: '8.0.32-Hadron-24.8.1.1', timezone: 'UTC', port: 9004, hostname: 'h' }),
    userVariables: new Map([['x', 5]]),
    connectionId: 7,
    database: 'default',
    user: 'default',
    processList: () => [],
  };

  it('scans placeholders and statements outside quotes and comments', () => {
    expect(countPlaceholders("SELECT ?, '?', `?`, \"?\" -- ?\n, /* ? */ ? # ?")).toBe(2);
    expect(splitStatements("SELECT ';'; SELECT 2; -- x;\n")).toEqual(["SELECT ';'", ' SELECT 2']);
  });

  it('rewrites variables, CONNECTION_ID() and DUAL into what the engine knows', () => {
    expect(rewriteExpressions('SELECT @@max_allowed_packet, @@session.sql_mode AS m, @x, CONNECTION_ID() FROM DUAL', ctx)).toBe(
      "SELECT toInt64(67108864) AS `@@max_allowed_packet`, 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION' AS m, toInt64(5) AS `@x`, toUInt64(7) AS `CONNECTION_ID()` FROM system.one",
    );
    expect(rewriteExpressions("SELECT '@@version'", ctx)).toBe("SELECT '@@version'");
  });

  it('classifies each MySQL statement family', () => {
    const kinds = (sql: string) => classify(sql, ctx).kind;
    expect(kinds('BEGIN')).toBe('ok');
    expect(classify('/* nothing */ ', ctx)).toMatchObject({ kind: 'error', code: { errno: 1065 } });
    expect(kinds('start transaction read only')).toBe('ok');
    expect(kinds('COMMIT WORK')).toBe('ok');
    expect(kinds("SHOW VARIABLES LIKE 'x%'")).toBe('rows');
    expect(kinds('SHOW COLLATION')).toBe('rows');
    expect(kinds('SHOW FULL TABLES FROM db')).toBe('engine');
    expect(kinds('SHOW COLUMNS FROM t FROM db')).toBe('engine_rows');
    expect(kinds('SHOW CREATE TABLE t')).toBe('engine_rows');
    expect(kinds('SET NAMES utf8mb4')).toBe('set');
    expect(kinds('KILL QUERY 3')).toBe('kill');
    expect(kinds("KILL QUERY WHERE query_id = 'x'")).toBe('engine');
    expect(kinds('SELECT 1')).toBe('engine');
    const set = classify('SET autocommit = 1, max_threads = 2, @@session.wait_timeout = 5', ctx);
    expect(set).toEqual({
      kind: 'set',
      assignments: [{ target: 'system', name: 'autocommit', expr: '1' }, { target: 'system', name: 'wait_timeout', expr: '5' }],
      engineSql: 'SET max_threads = 2',
    });
  });
});
