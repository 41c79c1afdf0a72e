import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, streamRows, type EngineHarness } from '../helpers/engine-harness.js';
import { agg, col } from './helpers.js';
import { formatValueText } from '../../src/types/text-conversion.js';

// Proton writes aggregate parameters as trailing constant arguments and gives some functions other defaults.
describe("Proton's top_k and moving_sum", () => {
  it('top_k returns (value, count) tuples unless with_count is false; topK keeps the values only', () => {
    const y = col('UInt8', 0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
    expect(agg('top_k', [2], [y])).toEqual({ type: 'Array(Tuple(UInt8, UInt64))', values: [[[0, 4n], [1, 3n]]] });
    expect(agg('top_k', [2, 0], [y]).values).toEqual([[0, 1]]);
    expect(agg('topK', [2], [y]).values).toEqual([[0, 1]]);
    expect(agg('top_k_weighted', [1], [y, col('UInt8', 1, 9, 1, 1, 1, 1, 1, 1, 1, 1)]).values).toEqual([[[1, 11n]]]);
  });

  it('moving sums and averages, over all values or a window (values checked against ClickHouse)', () => {
    const x = col('Int32', 1, 2, 4, 7);
    expect(agg('groupArrayMovingSum', [], [x])).toEqual({ type: 'Array(Int64)', values: [[1n, 3n, 7n, 14n]] });
    expect(agg('groupArrayMovingSum', [2], [x]).values).toEqual([[1n, 3n, 6n, 11n]]);
    expect(agg('groupArrayMovingAvg', [], [x])).toEqual({ type: 'Array(Float64)', values: [[0.25, 0.75, 1.75, 3.5]] });
    expect(agg('groupArrayMovingAvg', [2], [x]).values).toEqual([[0.5, 1.5, 3, 5.5]]);
    expect(agg('moving_sum', [], [col('Float32', 0.5, 0.25)]).values).toEqual([[0.5, 0.75]]);
  });
});

describe('trailing constant arguments as parameters, in SQL', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngine('proton-aggregates');
  });
  afterAll(async () => {
    await h.close();
  });

  /** A bounded query's rows as text. */
  const rows = async (sql: string): Promise<string[][]> => {
    const out: string[][] = [];
    const q = await h.start(sql, (b) => {
      for (let i = 0; i < b.rows; i++) out.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
    });
    await q.done;
    if (q.error()) throw q.error();
    return out;
  };

  it('top_k(x, k), top_k(x, k, false), moving_sum(x), moving_avg(x, window) over a table', async () => {
    await h.exec('CREATE STREAM pa (id string, v int32)');
    await h.exec("INSERT INTO pa (id, v) VALUES ('dev1', 57), ('dev1', 66), ('dev2', 58)");
    expect(await rows('SELECT top_k(id, 2), top_k(id, 1, false), moving_sum(v), moving_avg(v, 2) FROM table(pa)')).toEqual([
      ["[('dev1',2),('dev2',1)]", "['dev1']", '[57,123,181]', '[28.5,61.5,62]'],
    ]);
    // quantiles take their level the same way, after the weight for the weighted ones
    expect(await rows('SELECT quantile(v, 0.5), quantileExactWeighted(v, 1, 0.5), quantile(0.5)(v) FROM table(pa)')).toEqual([['58', '58', '58']]);
  });

  it('a streaming global aggregation emits top_k and moving_sum', async () => {
    const s = await streamRows(h, 'SELECT top_k(id, 2), moving_sum(v) FROM pa EMIT PERIODIC 100ms');
    try {
      await h.exec("INSERT INTO pa (id, v) VALUES ('dev2', 1), ('dev2', 2)");
      await s.waitFor((r) => r.some((x) => x[0] === "[('dev2',2)]"));
    } finally {
      s.stop();
    }
  });
});
