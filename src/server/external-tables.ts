import type { Block } from '../core/block.js';
import type { TableEntry } from '../catalog/table-entry.js';
import { MemoryStorage } from '../storage/engines/memory-storage.js';
import type { ExternalTable } from './session-api.js';

/**
 * External tables (native Data packets before a query, HTTP multipart files): Memory tables that live for
 * one query and are found by name before temporary and catalog tables, as ClickHouse does.
 */
export async function externalTableEntries(tables: readonly ExternalTable[]): Promise<Map<string, TableEntry>> {
  const out = new Map<string, TableEntry>();
  for (const t of tables) {
    const storage = new MemoryStorage({ header: t.header });
    for (const b of t.blocks) await storage.insert(b as Block);
    out.set(t.name, {
      database: '_temporary_and_external_tables',
      name: t.name,
      uuid: '00000000-0000-0000-0000-000000000000',
      kind: 'table',
      engine: 'Memory',
      engineArgs: [],
      columns: t.header.map((c) => ({ name: c.name, type: c.type })),
      orderBy: [],
      primaryKey: [],
      ttl: [],
      settings: {},
      comment: '',
      createQuery: '',
      metadataModificationTimeMs: Date.now(),
      temporary: true,
      storage,
    });
  }
  return out;
}
