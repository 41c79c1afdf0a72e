// A native-protocol client for unbounded (streaming) queries, for bench/streaming.mjs: it sends one query on a
// NativeMiniClient connection and hands every Data block to a callback as soon as it is decoded, with the
// receive time on the clock the writer uses (`nowMs()`: performance.timeOrigin + performance.now(), the same
// epoch in every thread). The query runs until `stop()` (which closes the connection: the server aborts it).
import { NativeMiniClient } from './native-mini-client.mjs';
import { readBlock } from '../../dist/protocols/native/block-input.js';
import { BinaryWriter } from '../../dist/src/types/serializations/buffer.js';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across worker threads. */
export const nowMs = () => performance.timeOrigin + performance.now();

/**
 * @typedef {{ rows: number, columns: Array<{ data?: ArrayLike<number | bigint> }> }} DecodedBlock
 * @typedef {{ done: Promise<void>, stop: () => void, header: Promise<string[]> }} RunningStream
 */

/**
 * Starts `sql` and calls `onBlock(block, receivedAtMs)` for each non-empty Data block. `done` resolves when the
 * server ends the query (or after `stop()`), and rejects with the server's exception text.
 * @param {number} port native TCP port
 * @param {string} sql
 * @param {(block: DecodedBlock, receivedAtMs: number) => void} onBlock
 * @returns {Promise<RunningStream>}
 */
export async function startStreamingQuery(port, sql, onBlock) {
  const c = await NativeMiniClient.connect(port);
  let stopped = false;
  /** @type {(names: string[]) => void} */
  let gotHeader = () => {};
  const header = new Promise((resolve) => (gotHeader = resolve));
  const rev = c.revision;
  c.socket.write(queryPacket(sql, rev));
  const loop = async () => {
    for (;;) {
      const code = await c.input.parse((/** @type {any} */ r) => r.varuint());
      if (code === 5) return;
      if (code === 1 || code === 7 || code === 8 || code === 10 || code === 14) {
        await c.input.parse((/** @type {any} */ r) => r.string());
        const b = await readBlock(c.input, false, { revision: rev, maxBlockBytes: 2 ** 31 - 1 });
        const at = nowMs();
        if (code !== 1) continue;
        if (b.rows) onBlock(/** @type {DecodedBlock} */ (/** @type {unknown} */ (b)), at);
        else if (b.header.length) gotHeader(b.header.map((/** @type {{ name: string }} */ h) => h.name));
      } else if (code === 3) {
        await c.input.parse((/** @type {any} */ r) => {
          for (let i = 0; i < 3; i++) r.varuint();
          if (rev >= 54420) (r.varuint(), r.varuint());
          if (rev >= 54460) r.varuint();
        });
      } else if (code === 6) {
        await c.input.parse((/** @type {any} */ r) => (r.varuint(), r.varuint(), r.varuint(), r.u8(), r.varuint(), r.u8()));
      } else if (code === 2) {
        const message = await c.input.parse((/** @type {any} */ r) => (r.i32(), r.string(), r.string()));
        throw new Error(message);
      } else throw new Error(`unexpected packet ${code}`);
    }
  };
  const done = loop().then(
    () => c.close(),
    (e) => {
      c.close();
      if (!stopped) throw e;
    },
  );
  done.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
  return {
    done,
    header,
    stop: () => {
      stopped = true;
      c.close();
    },
  };
}

/** The Query packet NativeMiniClient.query sends (no settings, no compression), then the empty block that ends the external tables. */
function queryPacket(/** @type {string} */ sql, /** @type {number} */ rev) {
  const w = new BinaryWriter(256 + sql.length);
  w.varuint(1);
  w.string('');
  w.u8(1);
  w.string('');
  w.string('');
  w.string('[::ffff:127.0.0.1]:0');
  if (rev >= 54449) w.i64n(0);
  w.u8(1);
  w.string('bench');
  w.string('localhost');
  w.string('hadron-bench');
  w.varuint(24);
  w.varuint(8);
  w.varuint(rev);
  w.string('');
  if (rev >= 54448) w.varuint(0);
  w.varuint(1);
  if (rev >= 54442) w.u8(0);
  if (rev >= 54453) {
    w.varuint(0);
    w.varuint(0);
    w.varuint(0);
  }
  w.string('');
  if (rev >= 54441) w.string('');
  w.varuint(2);
  w.varuint(0);
  w.string(sql);
  if (rev >= 54459) w.string('');
  w.varuint(2);
  w.string('');
  for (const b of [1, 0, 2, 255, 255, 255, 255, 0, 0, 0]) w.u8(b);
  return w.toBytes();
}
