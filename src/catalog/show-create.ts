import { quoteString } from '../sql/index.js';

/** Backquotes only names that are not plain identifiers, as SHOW CREATE prints them. */
function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}
import type { TableEntry } from './table-entry.js';

/** The CREATE statement for a table as ClickHouse's SHOW CREATE prints it, from the current metadata. */
export function renderCreateQuery(t: TableEntry): string {
  const name = `${quoteIdentifier(t.database)}.${quoteIdentifier(t.name)}`;
  if (t.kind === 'view') return `CREATE VIEW ${name}\n(\n${columnsText(t)}\n) AS\n${t.viewQuery ?? ''}`;
  if (t.kind === 'materialized_view') {
    const into = t.target ? ` INTO ${quoteIdentifier(t.target.database)}.${quoteIdentifier(t.target.name)}` : '';
    return `CREATE MATERIALIZED VIEW ${name}${into}\n(\n${columnsText(t)}\n) AS\n${t.viewQuery ?? ''}`;
  }
  if (t.kind === 'external_stream') {
    // Declared columns only (the virtual _tp_* ones come with every external stream); secrets hidden.
    const cols = columnsText({ ...t, columns: t.columns.filter((c) => !c.hidden) });
    const settings = Object.entries(t.settings).map(([k, v]) => `${k} = ${k === 'password' ? "'[HIDDEN]'" : /^-?\d+(\.\d+)?$/.test(v) ? v : quoteString(v)}`);
    return [`CREATE EXTERNAL STREAM ${name}`, '(', cols, ')', `SETTINGS ${settings.join(', ')}`, ...(t.comment ? [`COMMENT ${quoteString(t.comment)}`] : [])].join('\n');
  }
  const kind = t.kind === 'stream' ? 'STREAM' : t.kind === 'random_stream' ? 'RANDOM STREAM' : t.temporary ? 'TEMPORARY TABLE' : 'TABLE';
  const lines = [`CREATE ${kind} ${t.temporary ? quoteIdentifier(t.name) : name}`, '(', columnsText(t), ')'];
  if (t.kind === 'table' || (t.kind === 'random_stream' && t.engineArgs.length)) lines.push(`ENGINE = ${t.engine}${t.engineArgs.length ? `(${t.engineArgs.join(', ')})` : ''}`);
  if (t.partitionBy) lines.push(`PARTITION BY ${t.partitionBy}`);
  if (t.primaryKey.length && t.primaryKey.join() !== t.orderBy.join()) lines.push(`PRIMARY KEY ${keyText(t.primaryKey)}`);
  if (t.orderBy.length && t.engine !== 'Memory') lines.push(`ORDER BY ${keyText(t.orderBy)}`);
  if (t.ttl.length) lines.push(`TTL ${t.ttl.join(', ')}`);
  const settings = Object.entries(t.settings);
  if (t.engine.endsWith('MergeTree') && !('index_granularity' in t.settings)) settings.push(['index_granularity', '8192']);
  if (settings.length) lines.push(`SETTINGS ${settings.map(([k, v]) => `${k} = ${/^-?\d+(\.\d+)?$/.test(v) ? v : quoteString(v)}`).join(', ')}`);
  if (t.comment) lines.push(`COMMENT ${quoteString(t.comment)}`);
  return lines.join('\n');
}

function keyText(keys: readonly string[]): string {
  return keys.length === 1 ? keys[0]! : `(${keys.join(', ')})`;
}

function columnsText(t: TableEntry): string {
  return t.columns
    .map((c) => {
      let s = `    \`${c.name.replace(/`/g, '\\`')}\` ${c.type.name}`;
      if (c.defaultKind && c.defaultExpr) s += ` ${c.defaultKind} ${c.defaultExpr}`;
      if (c.codec) s += ` CODEC(${c.codec})`;
      if (c.comment) s += ` COMMENT ${quoteString(c.comment)}`;
      return s;
    })
    .join(',\n');
}
