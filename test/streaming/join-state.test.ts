import { describe, expect, it } from 'vitest';
import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { dateTime64Type, simpleType, type DataType } from '../../src/types/data-type.js';
import type { CompiledExpr } from '../../src/analyzer/compiled-expr.js';
import type { FunctionContext } from '../../src/functions/function.js';
import { JoinRuntime, type JoinSideSpec, type StreamingJoinSpec } from '../../src/streaming/join/streaming-join.js';
import { decodeJoinCheckpoint, encodeJoinCheckpoint } from '../../src/streaming/join/checkpoint.js';

/**
 * The streaming join operator on synthetic inputs, block by block (JoinRuntime.onBlock is what the node runs
 * for each block in arrival order): changelog retractions in both directions, enrichment with a changelog
 * right side, the range join's bounded state, and checkpoint round trips.
 */
const I32 = simpleType('Int32');
const I8 = simpleType('Int8');
const STR = simpleType('String');
const TS = dateTime64Type(3, 'UTC');
const fn = { timezone: 'UTC' } as unknown as FunctionContext;

const col = (i: number, type: DataType, name: string): CompiledExpr => ({ type, name, eval: (b) => b.columns[i]! });

function block(header: Header, rows: Value[][]): Block {
  return new Block(
    header,
    header.map((c, i) => columnFromValues(c.type, rows.map((r) => r[i]!))),
    rows.length,
  );
}

const rowsOf = (blocks: Block[]): string[][] => blocks.flatMap((b) => b.toRows().map((r) => r.map((v) => String(v))));

// versioned_kv ⋈ versioned_kv: (i, s, _tp_delta) ⋈ (ii, ss, _tp_delta) ON s = ss.
const KL: Header = [
  { name: 'i', type: I32 },
  { name: 's', type: STR },
  { name: '_tp_delta', type: I8 },
];
const KR: Header = [
  { name: 'ii', type: I32 },
  { name: 'ss', type: STR },
  { name: '_tp_delta', type: I8 },
];

function spec(over: Partial<StreamingJoinSpec> & { left: JoinSideSpec; right: JoinSideSpec; header: Header }): StreamingJoinSpec {
  return {
    kind: 'INNER',
    strictness: 'ALL',
    keepVersions: 3,
    bidirectional: true,
    emitChangelog: false,
    leftNullable: over.header.map(() => false),
    rightNullable: over.header.map(() => false),
    ...over,
  };
}

describe('streaming join state', () => {
  it('changelog ⋈ changelog: a change on either side retracts the rows it joined (Proton 0014 case 4)', () => {
    const rt = new JoinRuntime(
      spec({
        left: { keys: [col(1, STR, 's')], deltaAt: 2, changelog: true, matchColumns: [1] },
        right: { keys: [col(1, STR, 'ss')], deltaAt: 2, changelog: true, matchColumns: [1] },
        emitChangelog: true,
        header: [...KL, ...KR],
      }),
      KL,
      KR,
      fn,
    );
    const out: Block[] = [];
    out.push(...rt.onBlock(1, block(KR, [[1, 's1', 1]])));
    out.push(...rt.onBlock(0, block(KL, [[0, 's1', 1]])));
    // A new version of the left key: −1 old row, +1 new row.
    out.push(...rt.onBlock(0, block(KL, [[0, 's1', -1], [2, 's1', 1]])));
    out.push(...rt.onBlock(1, block(KR, [[1, 's1', -1], [3, 's1', 1]])));
    // (i, ii, s, delta) as Proton's expectation lists them.
    expect(rowsOf(out).map((r) => [r[0], r[3], r[1], r[2]])).toEqual([
      ['0', '1', 's1', '1'],
      ['0', '1', 's1', '-1'],
      ['2', '1', 's1', '1'],
      ['2', '1', 's1', '-1'],
      ['2', '3', 's1', '1'],
    ]);
    expect(rt.leftState.liveRows).toBe(1);
    expect(rt.rightState.liveRows).toBe(1);
  });

  it('append ⋈ changelog_kv (enrichment): right changes update the state only; a −1 deletes its key (0009 case 51)', () => {
    const L: Header = [
      { name: 'i', type: I32 },
      { name: 'k', type: STR },
    ];
    const R: Header = [
      { name: 'ii', type: I32 },
      { name: 'kk', type: STR },
      { name: '_tp_time', type: TS },
      { name: '_tp_delta', type: I8 },
    ];
    const rt = new JoinRuntime(
      spec({
        left: { keys: [col(0, I32, 'i')], deltaAt: -1, changelog: false, matchColumns: [0, 1] },
        right: { keys: [col(0, I32, 'ii')], deltaAt: 3, changelog: true, matchColumns: [1] },
        bidirectional: false,
        header: [...L, ...R],
      }),
      L,
      R,
      fn,
    );
    const out: Block[] = [];
    expect(rt.onBlock(1, block(R, [[1, 'k1', 1000, 1]]))).toEqual([]);
    out.push(...rt.onBlock(0, block(L, [[1, 'k1'], [2, 'k2']])));
    expect(rt.onBlock(1, block(R, [[1, 'k2', 2000, 1]]))).toEqual([]);
    // The −1 row carries its own _tp_time: it matches the stored row by the primary key (kk).
    expect(rt.onBlock(1, block(R, [[1, 'k1', 3000, -1]]))).toEqual([]);
    out.push(...rt.onBlock(0, block(L, [[1, 'k1']])));
    expect(rowsOf(out).map((r) => r.slice(0, 4))).toEqual([
      ['1', 'k1', '1', 'k1'],
      ['1', 'k1', '1', 'k2'],
    ]);
  });

  const RL: Header = [
    { name: 'k', type: I32 },
    { name: 'ts', type: TS },
  ];
  const RR: Header = [
    { name: 'kk', type: I32 },
    { name: 'tts', type: TS },
  ];
  const rangeSpec = (): StreamingJoinSpec =>
    spec({
      left: { keys: [col(0, I32, 'k')], time: col(1, TS, 'ts'), deltaAt: -1, changelog: false, matchColumns: [0, 1] },
      right: { keys: [col(0, I32, 'kk')], time: col(1, TS, 'tts'), deltaAt: -1, changelog: false, matchColumns: [0, 1] },
      // date_diff_within(1s) on DateTime64(3): ±1000 ticks, buckets of 1000.
      range: { lower: -1000, upper: 1000, lowerInclusive: true, upperInclusive: true, bucket: 1000 },
      header: [...RL, ...RR],
    });
  /** Events of second `s`: keys 0..9, 10 per side; each left row joins the right rows of its key within 1 s. */
  const second = (s: number): [Value[][], Value[][]] => {
    const l: Value[][] = [];
    const r: Value[][] = [];
    for (let k = 0; k < 10; k++) {
      l.push([k, s * 1000 + k * 10]);
      r.push([k, s * 1000 + k * 10 + 5]);
    }
    return [l, r];
  };

  it('range join: the state holds about one bucket per side however long the streams run', () => {
    const rt = new JoinRuntime(rangeSpec(), RL, RR, fn);
    let joined = 0;
    let peak = 0;
    for (let s = 0; s < 2000; s++) {
      const [l, r] = second(s);
      joined += rowsOf(rt.onBlock(0, block(RL, l))).length;
      joined += rowsOf(rt.onBlock(1, block(RR, r))).length;
      peak = Math.max(peak, rt.leftState.liveRows + rt.rightState.liveRows);
    }
    // Each left row joins the right row of its key in the same second (5 ms later) and the one of the second
    // before (995 ms earlier); the one of the second after is 1005 ms later, out of range.
    expect(joined).toBe(2000 * 10 + 1999 * 10);
    expect(peak).toBeLessThanOrEqual(40);
    expect(rt.evictedRows).toBeGreaterThan(39_000);
  });

  it('a checkpoint taken mid-stream, encoded and restored, continues exactly like the uninterrupted run', () => {
    const whole = new JoinRuntime(rangeSpec(), RL, RR, fn);
    const first = new JoinRuntime(rangeSpec(), RL, RR, fn);
    const wholeOut: string[][] = [];
    const splitOut: string[][] = [];
    for (let s = 0; s < 10; s++) {
      const [l, r] = second(s);
      wholeOut.push(...rowsOf(whole.onBlock(0, block(RL, l))), ...rowsOf(whole.onBlock(1, block(RR, r))));
      splitOut.push(...rowsOf(first.onBlock(0, block(RL, l))), ...rowsOf(first.onBlock(1, block(RR, r))));
    }
    const cp = decodeJoinCheckpoint(
      encodeJoinCheckpoint({ left: first.leftState.liveBlocks(), right: first.rightState.liveBlocks(), leftWatermark: first.wm[0], rightWatermark: first.wm[1] }),
    );
    const second_ = new JoinRuntime(rangeSpec(), RL, RR, fn);
    second_.restore(cp);
    expect(second_.leftState.liveRows).toBe(first.leftState.liveRows);
    for (let s = 10; s < 20; s++) {
      const [l, r] = second(s);
      wholeOut.push(...rowsOf(whole.onBlock(0, block(RL, l))), ...rowsOf(whole.onBlock(1, block(RR, r))));
      splitOut.push(...rowsOf(second_.onBlock(0, block(RL, l))), ...rowsOf(second_.onBlock(1, block(RR, r))));
    }
    expect(splitOut).toEqual(wholeOut);
    expect(splitOut.length).toBe(20 * 10 + 19 * 10);
  });

  it('ASOF keeps the last keep_versions rows per key and LATEST one (compacting superseded rows)', () => {
    const L: Header = [
      { name: 'k', type: I32 },
      { name: 'v', type: I32 },
    ];
    const R: Header = [
      { name: 'kk', type: I32 },
      { name: 'vv', type: I32 },
    ];
    const asof = new JoinRuntime(
      spec({
        strictness: 'ASOF',
        asofOp: '<=',
        keepVersions: 2,
        bidirectional: false,
        left: { keys: [col(0, I32, 'k')], asof: col(1, I32, 'v'), deltaAt: -1, changelog: false, matchColumns: [0, 1] },
        right: { keys: [col(0, I32, 'kk')], asof: col(1, I32, 'vv'), deltaAt: -1, changelog: false, matchColumns: [0, 1] },
        header: [...L, ...R],
      }),
      L,
      R,
      fn,
    );
    for (let v = 0; v < 10_000; v++) asof.onBlock(1, block(R, [[v % 3, v]]));
    expect(asof.rightState.liveRows).toBe(6);
    expect(asof.rightState.storedRows).toBeLessThan(6 + 8192);
    // Key 0 (v ≡ 0 mod 3) keeps its last two versions, 9996 and 9999; key 1 has nothing >= 10000.
    expect(rowsOf(asof.onBlock(0, block(L, [[0, 9995], [0, 0], [1, 10_000]])))).toEqual([
      ['0', '9995', '0', '9996'],
      ['0', '0', '0', '9996'],
    ]);
  });

  it('lag_behind: blocks are joined in event-time order across the sides; waiting blocks survive a checkpoint (0031 case 2)', () => {
    const L: Header = [
      { name: 'id', type: I32 },
      { name: 'v', type: STR },
      { name: 't', type: TS },
    ];
    const R: Header = [
      { name: 'id2', type: I32 },
      { name: 'v2', type: STR },
      { name: 't2', type: TS },
    ];
    const mk = () =>
      new JoinRuntime(
        spec({
          kind: 'LEFT',
          strictness: 'LATEST',
          bidirectional: false,
          left: { keys: [col(0, I32, 'id')], deltaAt: -1, changelog: false, matchColumns: [0, 1, 2] },
          right: { keys: [col(0, I32, 'id2')], deltaAt: -1, changelog: false, matchColumns: [0, 1, 2] },
          align: { leftTime: col(2, TS, 't'), rightTime: col(2, TS, 't2'), lag: 1 },
          header: [...L, ...R],
        }),
        L,
        R,
        fn,
      );
    const rt = mk();
    const pick = (bs: Block[]) => rowsOf(bs).map((r) => [r[1]!, r[4]!]);
    const out: string[][] = [];
    out.push(...pick(rt.onAligned(0, block(L, [[1, 't1', 4000]]))));
    expect(out).toEqual([]); // waits: nothing seen on the right yet
    out.push(...pick(rt.onAligned(1, block(R, [[1, 't2', 6000]]))));
    out.push(...pick(rt.onAligned(0, block(L, [[1, 'tt1', 5000]]))));
    // t2@6 is applied only once the left side reached 6 s: t1 and tt1 saw no right row.
    out.push(...pick(rt.onAligned(0, block(L, [[1, 'ttt1', 8000]]))));
    expect(out).toEqual([
      ['t1', ''],
      ['tt1', ''],
    ]);
    const cp = decodeJoinCheckpoint(encodeJoinCheckpoint({ left: rt.leftState.liveBlocks(), right: rt.rightState.liveBlocks(), leftWatermark: rt.wm[0], rightWatermark: rt.wm[1], held: rt.heldState() }));
    expect(cp.held?.left.length).toBe(1); // ttt1@8 waits for the right side
    const again = mk();
    again.restore(cp);
    const after: string[][] = [];
    after.push(...pick(again.onAligned(1, block(R, [[1, 'tt2', 7000]]))));
    after.push(...pick(again.onAligned(0, block(L, [[1, 'tttt1', 9000]]))));
    expect(after).toEqual([]);
    after.push(...pick(again.onAligned(1, block(R, [[1, 'ttt2', 10_000]]))));
    expect(after).toEqual([
      ['ttt1', 'tt2'],
      ['tttt1', 'tt2'],
    ]);
  });
});
