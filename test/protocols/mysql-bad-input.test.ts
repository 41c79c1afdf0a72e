import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import type { TestServer } from '../helpers/test-server.js';
import { connect, packet, parseErr, RawClient, startMysqlServer, u32 } from './mysql-helpers.js';

let server: TestServer & { mysqlPort: number };
beforeAll(async () => {
  server = await startMysqlServer();
  await server.query('CREATE TABLE fl (a Int32, b Nullable(String), c DateTime) ENGINE = Memory');
});
afterAll(async () => {
  await server.stop();
});

/** The server still answers a fresh, well-behaved client. */
async function serverWorks(): Promise<void> {
  const c = await connect(server.mysqlPort);
  const [rows] = await c.query<RowDataPacket[]>('SELECT 40 + 2 AS v');
  expect(rows).toEqual([{ v: 42 }]);
  await c.end();
}

describe('MySQL protocol: bad input', () => {
  it('rejects a garbage handshake response with an ERR packet and closes', async () => {
    const raw = new RawClient(server.mysqlPort);
    expect((await raw.readPacket())!.payload[0]).toBe(10);
    raw.write(packet(1, Buffer.from([1, 2, 3, 4, 5])));
    const reply = await raw.readPacket();
    expect(parseErr(reply!.payload)?.errno).toBe(1043);
    await raw.waitClosed();
    await serverWorks();
  });

  it('survives unframed garbage, a truncated packet and a huge declared length', async () => {
    for (const bytes of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([100, 0, 0, 1, 1, 2, 3]), Buffer.from([0xff, 0xff, 0xff, 1, 0, 0])]) {
      const raw = new RawClient(server.mysqlPort);
      await raw.readPacket();
      raw.write(bytes);
      raw.socket.end();
      await raw.waitClosed();
    }
    await serverWorks();
  });

  it('refuses TLS (SSLRequest) with an ERR packet', async () => {
    const raw = new RawClient(server.mysqlPort);
    await raw.readPacket();
    raw.write(packet(1, Buffer.concat([u32(0x200 | 0x800 | 0x8000), u32(1 << 24), Buffer.from([45]), Buffer.alloc(23)])));
    expect(parseErr((await raw.readPacket())!.payload)?.errno).toBe(1043);
    await raw.waitClosed();
  });

  it('answers malformed commands with ERR and keeps the connection', async () => {
    const raw = new RawClient(server.mysqlPort);
    await raw.login();
    const expectErr = async (payload: Buffer, errno: number) => {
      raw.write(packet(0, payload));
      const reply = await raw.readPacket();
      expect(parseErr(reply!.payload)?.errno, payload.toString('hex')).toBe(errno);
    };
    await expectErr(Buffer.from([0x7f]), 1047); // unknown command
    await expectErr(Buffer.alloc(0), 1835); // empty command
    await expectErr(Buffer.concat([Buffer.from([0x17]), u32(999), Buffer.from([0]), u32(1)]), 1243); // unknown statement
    await expectErr(Buffer.from([0x17, 1]), 1835); // truncated COM_STMT_EXECUTE
    await expectErr(Buffer.from([0x0c, 1]), 1835); // truncated COM_PROCESS_KILL
    await expectErr(Buffer.from([0x03, 0xff, 0xfe, 0x00, 0x80]), 1064); // not UTF-8, not SQL

    // A prepared statement with one parameter, then an EXECUTE whose string claims 2^40 bytes.
    raw.write(packet(0, Buffer.concat([Buffer.from([0x16]), Buffer.from('SELECT ? AS v')])));
    const prepared = (await raw.readPacket())!.payload;
    expect(prepared[0]).toBe(0);
    const id = prepared.readUInt32LE(1);
    expect(prepared.readUInt16LE(7)).toBe(1); // one parameter
    await raw.readPacket(); // its definition (DEPRECATE_EOF: no EOF after it)
    const huge = Buffer.from([0xfe, 0, 0, 0, 0, 0, 1, 0, 0]);
    await expectErr(Buffer.concat([Buffer.from([0x17]), u32(id), Buffer.from([0]), u32(1), Buffer.from([0, 1, 0xfd, 0]), huge]), 1835);

    // COM_STMT_SEND_LONG_DATA (no reply) twice, then EXECUTE uses the chunks; COM_STMT_RESET drops them.
    raw.write(packet(0, Buffer.concat([Buffer.from([0x18]), u32(id), Buffer.from([0, 0]), Buffer.from('long ')])));
    raw.write(packet(0, Buffer.concat([Buffer.from([0x18]), u32(id), Buffer.from([0, 0]), Buffer.from('data')])));
    raw.write(packet(0, Buffer.concat([Buffer.from([0x17]), u32(id), Buffer.from([0]), u32(1), Buffer.from([0, 1, 0xfc, 0])])));
    const rows: Buffer[] = [];
    for (;;) {
      const p = (await raw.readPacket())!.payload;
      if (p[0] === 0xfe && p.length < 9) break;
      rows.push(p);
    }
    // column count, one column definition, one binary row: 0x00, NULL bitmap, lenenc 'long data'
    expect(rows[2]!.subarray(2).toString()).toBe('\x09long data');
    raw.write(packet(0, Buffer.concat([Buffer.from([0x1a]), u32(id)])));
    expect((await raw.readPacket())!.payload[0]).toBe(0);
    await expectErr(Buffer.concat([Buffer.from([0x1a]), u32(4242)]), 1243);

    raw.write(packet(0, Buffer.from([0x0e]))); // COM_PING still answers
    expect((await raw.readPacket())!.payload[0]).toBe(0);
    raw.close();
    await serverWorks();
  });

  it('handles COM_INIT_DB and COM_FIELD_LIST', async () => {
    const raw = new RawClient(server.mysqlPort);
    await raw.login();
    raw.write(packet(0, Buffer.concat([Buffer.from([0x02]), Buffer.from('no_such_db')])));
    expect(parseErr((await raw.readPacket())!.payload)?.errno).toBe(1049);
    raw.write(packet(0, Buffer.concat([Buffer.from([0x02]), Buffer.from('default')])));
    expect((await raw.readPacket())!.payload[0]).toBe(0);

    raw.write(packet(0, Buffer.concat([Buffer.from([0x04]), Buffer.from('fl\0')])));
    const names: string[] = [];
    for (;;) {
      const p = (await raw.readPacket())!.payload;
      if (p[0] === 0xfe && p.length < 9) break;
      // def, schema, table, org_table, name: five length-prefixed strings (all short here).
      let pos = 0;
      const strs: string[] = [];
      for (let k = 0; k < 5; k++) {
        const n = p[pos]!;
        strs.push(p.toString('utf8', pos + 1, pos + 1 + n));
        pos += 1 + n;
      }
      names.push(strs[4]!);
    }
    expect(names).toEqual(['a', 'b', 'c']);
    raw.write(packet(0, Buffer.concat([Buffer.from([0x04]), Buffer.from('no_such_table\0')])));
    expect(parseErr((await raw.readPacket())!.payload)?.errno).toBe(1146);
    raw.write(packet(0, Buffer.from([0x01]))); // COM_QUIT
    await raw.waitClosed();
  });

  it('closes a connection whose client disappears mid-query without harming others', async () => {
    const raw = new RawClient(server.mysqlPort);
    await raw.login();
    raw.write(packet(0, Buffer.concat([Buffer.from([0x03]), Buffer.from('SELECT number FROM numbers(50000000)')])));
    await raw.readPacket(); // the column count: the query is running
    raw.close();
    const c = await connect(server.mysqlPort);
    // The abandoned query stops: it disappears from the process list.
    for (;;) {
      const [pl] = await c.query<RowDataPacket[]>("SELECT count() AS n FROM system.processes WHERE query LIKE '%numbers(50000000)%' AND query NOT LIKE '%system.processes%'");
      if (Number(pl[0]!['n']) === 0) break;
    }
    await c.end();
    await serverWorks();
  });
});
