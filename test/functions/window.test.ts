import { describe, expect, it } from 'vitest';
import { ctx } from './helpers.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { columnFromValues, columnValues, ConstColumn } from '../../src/columns/index.js';
import { T } from '../../src/types/data-type.js';
import type { WindowPartition } from '../../src/functions/window/window-function.js';

function partition(rows: number, peers: number[], args: WindowPartition['args'] = [], frame?: [number, number][]): WindowPartition {
  const peerStart = new Uint32Array(rows);
  const peerEnd = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = i;
    while (s > 0 && peers[s - 1] === peers[i]) s--;
    let e = i + 1;
    while (e < rows && peers[e] === peers[i]) e++;
    peerStart[i] = s;
    peerEnd[i] = e;
  }
  return {
    rows,
    args,
    peerStart,
    peerEnd,
    frameStart: Uint32Array.from(frame ? frame.map((f) => f[0]) : new Array(rows).fill(0)),
    frameEnd: Uint32Array.from(frame ? frame.map((f) => f[1]) : new Array(rows).fill(rows)),
  };
}

describe('window functions', () => {
  const reg = defaultRegistry();
  const run = (name: string, p: WindowPartition, argTypes = [] as typeof T.UInt8[], consts: (number | undefined)[] = []) => {
    const w = reg.getWindow(name)!.resolve(argTypes.map((type, i) => ({ type, constant: consts[i] !== undefined ? { value: consts[i]! } : undefined })), ctx);
    return columnValues(w.returnType, w.compute(p));
  };
  it('ranks with ties', () => {
    const p = partition(5, [1, 1, 2, 3, 3]);
    expect(run('row_number', p)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(run('rank', p)).toEqual([1n, 1n, 3n, 4n, 4n]);
    expect(run('dense_rank', p)).toEqual([1n, 1n, 2n, 3n, 3n]);
    expect(run('percent_rank', p)).toEqual([0, 0, 0.5, 0.75, 0.75]);
    expect(run('cume_dist', p)).toEqual([0.4, 0.4, 0.6, 1, 1]);
    expect(run('ntile', p, [T.UInt8], [2])).toEqual([1n, 1n, 1n, 2n, 2n]);
  });
  it('lagInFrame / leadInFrame / nth_value respect the frame', () => {
    const x = columnFromValues(T.Int32, [10, 20, 30, 40]);
    const p = partition(4, [1, 2, 3, 4], [x]);
    expect(run('lagInFrame', p, [T.Int32])).toEqual([0, 10, 20, 30]);
    expect(run('leadInFrame', p, [T.Int32])).toEqual([20, 30, 40, 0]);
    const framed = partition(4, [1, 2, 3, 4], [x, new ConstColumn(columnFromValues(T.UInt8, [2]), 4)], [[0, 1], [0, 2], [1, 3], [2, 4]]);
    expect(run('nth_value', framed, [T.Int32, T.UInt8])).toEqual([0, 20, 30, 40]);
    expect(run('lag', partition(4, [1, 2, 3, 4], [x]), [T.Int32])).toEqual([null, 10, 20, 30]);
  });
});
