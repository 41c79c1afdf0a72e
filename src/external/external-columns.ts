import type { ColumnMeta } from '../catalog/table-entry.js';
import type { Header } from '../core/block.js';
import { T, dateTime64Type } from '../types/data-type.js';

/**
 * The virtual columns of a Kafka external stream, hidden from `SELECT *`: `_tp_time` (the message timestamp;
 * on writes, the timestamp given to the message), `_tp_message_key` (the key), `_tp_sn` (the offset) and
 * `_tp_shard` (the partition).
 */
export const VIRTUAL: Readonly<Record<string, true>> = { _tp_time: true, _tp_message_key: true, _tp_sn: true, _tp_shard: true };

export function virtualColumns(): ColumnMeta[] {
  return [
    { name: '_tp_time', type: dateTime64Type(3, 'UTC'), defaultKind: 'DEFAULT', defaultExpr: "now64(3, 'UTC')", hidden: true },
    { name: '_tp_message_key', type: T.String, defaultKind: 'DEFAULT', defaultExpr: "''", hidden: true },
    { name: '_tp_sn', type: T.Int64, defaultKind: 'DEFAULT', defaultExpr: '-1', hidden: true },
    { name: '_tp_shard', type: T.Int32, defaultKind: 'DEFAULT', defaultExpr: '-1', hidden: true },
  ];
}

/** The external stream's columns: the declared ones, then the virtual ones not declared. */
export function externalStreamColumns(declared: readonly ColumnMeta[]): ColumnMeta[] {
  const names = new Set(declared.map((c) => c.name));
  return [...declared, ...virtualColumns().filter((v) => !names.has(v.name))];
}

/** The declared (message) columns of a storage header. */
export function userColumns(header: Header): Header {
  return header.filter((c) => !(c.name in VIRTUAL));
}
