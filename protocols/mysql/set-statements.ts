import { ProtocolError } from './mysql-errors.js';
import { CompatError, sqlString, type CompatAction, type CompatContext, type SetAssignment, type Words } from './compat-common.js';

/** `SET …`: MySQL's session variables stay here; anything else (ClickHouse settings) goes to the engine. */
export function set(w: Words, ctx: CompatContext): CompatAction | undefined {
  w.accept('SET');
  const local: SetAssignment[] = [];
  const engineParts: string[] = [];
  while (!w.done) {
    w.accept('SESSION') || w.accept('LOCAL') || w.accept('GLOBAL') || w.accept('PERSIST');
    const startTok = w.peek();
    if (!startTok) break;
    if (w.accept('NAMES')) {
      const cs = w.ident() ?? w.string() ?? 'utf8mb4';
      let coll: string | undefined;
      if (w.accept('COLLATE')) coll = w.ident() ?? w.string();
      if (cs.toUpperCase() !== 'DEFAULT') {
        for (const v of ['character_set_client', 'character_set_connection', 'character_set_results']) local.push({ target: 'system', name: v, expr: sqlString(cs) });
        local.push({ target: 'system', name: 'collation_connection', expr: sqlString(coll ?? (cs.toLowerCase() === 'utf8mb4' ? 'utf8mb4_general_ci' : `${cs}_general_ci`)) });
      }
    } else if (w.accept('CHARACTER', 'SET') || w.accept('CHARSET')) {
      const cs = w.ident() ?? w.string() ?? 'utf8mb4';
      for (const v of ['character_set_client', 'character_set_results']) local.push({ target: 'system', name: v, expr: sqlString(cs) });
    } else if (w.accept('TRANSACTION')) {
      // ISOLATION LEVEL <level> | READ ONLY | READ WRITE, comma separated
      for (;;) {
        if (w.accept('ISOLATION', 'LEVEL')) {
          const words: string[] = [];
          while (w.peek()?.kind === 'word' && !(w.is('READ') && (w.is('ONLY', 1) || w.is('WRITE', 1)))) words.push(w.peek()!.text.toUpperCase()), w.i++;
          local.push({ target: 'system', name: 'transaction_isolation', expr: sqlString(words.join('-')) });
        } else if (w.accept('READ', 'ONLY')) local.push({ target: 'system', name: 'transaction_read_only', expr: '1' });
        else if (w.accept('READ', 'WRITE')) local.push({ target: 'system', name: 'transaction_read_only', expr: '0' });
        else break;
        if (!w.acceptPunct(',')) break;
      }
      continue;
    } else {
      const t = w.peek()!;
      let target: 'system' | 'user' | 'engine';
      let name: string;
      if (t.kind === 'variable') {
        target = 'system';
        name = t.text;
        w.i++;
      } else if (t.kind === 'user_variable') {
        target = 'user';
        name = t.text;
        w.i++;
      } else {
        const id = w.ident();
        if (id === undefined) return undefined;
        name = id;
        target = ctx.variables.has(name) ? 'system' : 'engine';
      }
      if (!(w.acceptPunct('=') || (w.acceptPunct(':') && w.acceptPunct('=')))) return undefined;
      const exprStart = w.peek();
      let depth = 0;
      while (!w.done) {
        const x = w.peek()!;
        if (x.kind === 'punct' && (x.text === '(' || x.text === '[')) depth++;
        else if (x.kind === 'punct' && (x.text === ')' || x.text === ']')) depth--;
        else if (depth === 0 && x.kind === 'punct' && x.text === ',') break;
        w.i++;
      }
      const last = w.t[w.i - 1];
      if (!exprStart || !last || last.end <= exprStart.start) return undefined;
      const expr = w.sql.slice(exprStart.start, last.end);
      if (target === 'engine') engineParts.push(w.sql.slice(startTok.start, last.end));
      else {
        if (target === 'system' && !ctx.variables.has(name)) throw new CompatError(ProtocolError.UNKNOWN_SYSTEM_VARIABLE, `Unknown system variable '${name}'`);
        local.push({ target, name, expr });
      }
    }
    if (!w.acceptPunct(',')) break;
  }
  return { kind: 'set', assignments: local, engineSql: engineParts.length ? `SET ${engineParts.join(', ')}` : undefined };
}
