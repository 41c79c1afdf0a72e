import { describe, expect, it } from 'vitest';
import { newProgress, QueryRegistry, type RunningQuery } from '../../src/server/query-registry.js';

function query(queryId: string): RunningQuery {
  return { queryId, user: 'default', query: 'SELECT 1', startMs: 0, address: '', interface: 'tcp', progress: newProgress(), controller: new AbortController() };
}

/** KILL QUERY is asynchronous: RECOVER FROM waits for the killed query to end before it takes the id over. */
describe('QueryRegistry.whenCancelledEnded', () => {
  it('waits for a cancelled query to unregister', async () => {
    const reg = new QueryRegistry();
    const q = query('a');
    reg.register(q);
    expect(reg.cancel('a')).toBe(true);
    let ended = false;
    const waiting = reg.whenCancelledEnded('a', 10_000).then(() => (ended = true));
    await new Promise((r) => setImmediate(r));
    expect(ended).toBe(false);
    expect(() => reg.register(query('a'))).toThrow(/already running/);
    reg.unregister('a', q);
    await waiting;
    expect(ended).toBe(true);
    reg.register(query('a'));
  });

  it('does not wait for a query that runs and is not cancelled, nor for an unknown id', async () => {
    const reg = new QueryRegistry();
    reg.register(query('b'));
    await reg.whenCancelledEnded('b', 60_000);
    await reg.whenCancelledEnded('nope', 60_000);
  });

  it('gives up after its time limit', async () => {
    const reg = new QueryRegistry();
    reg.register(query('c'));
    reg.cancel('c');
    await reg.whenCancelledEnded('c', 20);
    expect(reg.list().map((q) => q.queryId)).toEqual(['c']);
  });
});
