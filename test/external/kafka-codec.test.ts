import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Block, type Header } from '../../src/core/block.js';
import { createBuilder } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { T, dateTime64Type } from '../../src/types/data-type.js';
import { DbError } from '../../src/errors/index.js';
import { parseKafkaSettings, parseProperties } from '../../src/external/kafka-settings.js';
import { MessageDecoder, type RawMessage } from '../../src/external/message-decoder.js';
import { MessageEncoder } from '../../src/external/message-encoder.js';
import { PositionJournal, POSITION_BASE } from '../../src/external/position-journal.js';
import { externalReadStorage } from '../../src/external/index.js';
import { Engine } from '../../src/server/engine.js';
import { Scope } from '../../src/analyzer/scope.js';
import { compileExpression } from '../../src/analyzer/expression-compiler.js';
import { parseExpression } from '../../src/sql/index.js';
import type { FunctionContext } from '../../src/functions/function.js';

const user: Header = [
  { name: 'id', type: T.Int32 },
  { name: 's', type: T.String },
];

function block(header: Header, rows: Value[][]): Block {
  const cols = header.map((h, i) => {
    const b = createBuilder(h.type, rows.length);
    for (const r of rows) b.push(r[i]!);
    return b.build();
  });
  return new Block(header, cols, rows.length);
}

const msg = (value: string | null, offset: number, partition = 0, key: string | null = null): RawMessage => ({
  partition,
  offset,
  timestampMs: 1_700_000_000_000 + offset,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

describe('Kafka external stream settings', () => {
  it('parses Proton settings with defaults', () => {
    const s = parseKafkaSettings({ type: 'kafka', brokers: 'redpanda-1: 9092, b:1', topic: 'test' }, user);
    expect(s.brokers).toEqual(['redpanda-1:9092', 'b:1']);
    expect(s.dataFormat).toBe('JSONEachRow');
    expect(s.oneMessagePerRow).toBe(false);
    expect(s.acks).toBe(-1);
    expect(parseKafkaSettings({ type: 'kafka', brokers: 'a:1', topic: 't' }, [{ name: 'raw', type: T.String }]).dataFormat).toBe('RawBLOB');
  });
  it('rejects bad settings with ClickHouse-style errors', () => {
    const bad = (s: Record<string, string>) => {
      try {
        parseKafkaSettings(s, user);
      } catch (e) {
        expect(e).toBeInstanceOf(DbError);
        return (e as DbError).errorName;
      }
      throw new Error('no error');
    };
    expect(bad({ type: 'pulsar', brokers: 'a:1', topic: 't' })).toBe('NOT_IMPLEMENTED');
    expect(bad({ type: 'kafka', topic: 't' })).toBe('BAD_ARGUMENTS');
    expect(bad({ type: 'kafka', brokers: 'a:1' })).toBe('BAD_ARGUMENTS');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', data_format: 'Parquet' })).toBe('UNKNOWN_FORMAT');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', data_format: 'RawBLOB' })).toBe('BAD_ARGUMENTS');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', security_protocol: 'SASL_PLAINTEXT' })).toBe('BAD_ARGUMENTS');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', sasl_mechanism: 'X', security_protocol: 'SASL_PLAINTEXT', username: 'u', password: 'p' })).toBe('INVALID_SETTING_VALUE');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', bogus: '1' })).toBe('UNKNOWN_SETTING');
    expect(bad({ type: 'kafka', brokers: 'a:1', topic: 't', properties: 'nope.x=1' })).toBe('INVALID_SETTING_VALUE');
  });
  it('parses properties', () => {
    expect([...parseProperties('linger.ms=5; message.max.bytes = 2000 ;')]).toEqual([['linger.ms', '5'], ['message.max.bytes', '2000']]);
  });
});

describe('Kafka message decoding', () => {
  const bad: string[] = [];
  const dec = new MessageDecoder(user, 'JSONEachRow', 'UTC', (reason, m) => bad.push(`${m.offset}: ${reason}`));
  const header: Header = [...user, { name: '_tp_sn', type: T.Int64 }, { name: '_tp_shard', type: T.Int32 }, { name: '_tp_time', type: dateTime64Type(3, 'UTC') }];

  it('decodes one row per message with the virtual columns', () => {
    const b = dec.decode([msg('{"id":1,"s":"a","extra":true}', 5, 2), msg('{"id":2,"s":"b"}\n', 6, 2)], header);
    expect(b.toRows()).toEqual([
      [1, 'a', 5n, 2, 1_700_000_000_005],
      [2, 'b', 6n, 2, 1_700_000_000_006],
    ]);
  });
  it('skips bad and empty messages, keeps the rest, and maps rows of multi-row messages', () => {
    bad.length = 0;
    const b = dec.decode([msg('{"id":1,"s":"a"}', 0), msg('garbage', 1), msg(null, 2), msg('{"id":3,"s":"c"}\n{"id":4,"s":"d"}', 3), msg('{"id":"x"}', 4)], header);
    expect(b.toRows().map((r) => [r[0], r[2]])).toEqual([
      [1, 0n],
      [3, 3n],
      [4, 3n],
    ]);
    expect(bad.map((x) => x.split(':')[0])).toEqual(['1', '2', '4']);
  });
  it('reads only virtual columns without parsing', () => {
    const b = dec.decode([msg('not json', 9, 1, 'k')], [{ name: '_tp_message_key', type: T.String }, { name: '_tp_shard', type: T.Int32 }]);
    expect(b.toRows()).toEqual([['k', 1]]);
  });
  it('RawBLOB keeps the bytes', () => {
    const raw = new MessageDecoder([{ name: 'raw', type: T.String }], 'RawBLOB', 'UTC', () => undefined);
    expect(raw.decode([msg('a,b\nc', 0), msg(null, 1)], [{ name: 'raw', type: T.String }]).toRows()).toEqual([['a,b\nc'], ['']]);
  });
});

describe('Kafka message encoding', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-kafka-codec-'));
  const engine = new Engine({ dataDir, timezone: 'UTC' });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const fn: FunctionContext = { timezone: 'UTC', queryStartMs: Date.now(), currentUser: 'default', currentDatabase: 'default', settings: new Map(), server: engine.serverFacts };
  const compile = (sql: string, header: Header) => compileExpression({ functions: engine.functions, fnCtx: fn, params: new Map(), subqueries: { get: () => undefined } }, Scope.fromHeader(header), parseExpression(sql));
  const rows = block(user, [
    [1, 'a,b'],
    [2, 'x"y\nz'],
    [4, 'plain'],
  ]);

  it('one message per row, with key and partition from expressions', () => {
    const enc = new MessageEncoder({ userHeader: user, dataFormat: 'JSONEachRow', oneMessagePerRow: true, maxMessageBytes: 1000, timezone: 'UTC', messageKey: compile('concat(\'k\', to_string(id))', user), shardingExpr: compile('id', user) });
    const out = enc.encode(rows, 3, fn);
    expect(out.map((m) => [m.value.toString(), m.key?.toString(), m.partition])).toEqual([
      ['{"id":1,"s":"a,b"}', 'k1', 1],
      ['{"id":2,"s":"x\\"y\\nz"}', 'k2', 2],
      ['{"id":4,"s":"plain"}', 'k4', 1],
    ]);
  });
  it('CSV rows split outside quotes; packed messages respect the size limit and decode back', () => {
    const csv = new MessageEncoder({ userHeader: user, dataFormat: 'CSV', oneMessagePerRow: true, maxMessageBytes: 1000, timezone: 'UTC' });
    expect(csv.encode(rows, 1, fn).map((m) => m.value.toString())).toEqual(['1,"a,b"', '2,"x""y\nz"', '4,"plain"']);
    const packed = new MessageEncoder({ userHeader: user, dataFormat: 'JSONEachRow', oneMessagePerRow: false, maxMessageBytes: 50, timezone: 'UTC' });
    const msgs = packed.encode(rows, 1, fn);
    expect(msgs.length).toBe(2);
    const dec = new MessageDecoder(user, 'JSONEachRow', 'UTC', () => undefined);
    const back = dec.decode(msgs.map((m, i) => msg(m.value.toString(), i)), [...user, { name: '_tp_sn', type: T.Int64 }]);
    expect(back.toRows()).toEqual([
      [1, 'a,b', 0n],
      [2, 'x"y\nz', 0n],
      [4, 'plain', 1n],
    ]);
  });
});

describe('position journal and read scope', () => {
  it('records positions under fresh sequence numbers that survive a reopen', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hadron-journal-'));
    try {
      const j = new PositionJournal(dir);
      const a = j.record(new Map([[0, 5], [1, 7]]));
      const b = j.record(new Map([[0, 6], [1, 7]]));
      expect(a).toBe(POSITION_BASE);
      expect(b).toBe(a + 1);
      const j2 = new PositionJournal(dir);
      expect(j2.lookup(a)).toEqual(new Map([[0, 5], [1, 7]]));
      expect(j2.record(new Map())).toBe(b + 1);
      expect(j2.lookup(12345)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('leaves other storages alone', () => {
    const s = { header: [] } as never;
    expect(externalReadStorage(s, new Map([['shards', '1']]))).toBe(s);
  });
});
