import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DbError } from '../errors/index.js';
import { parseDataType } from '../types/type-factory.js';
import { writeFileAtomic } from './atomic-file.js';
import type { ColumnMeta, DatabaseEntry, TableEntry } from './table-entry.js';

interface PersistedColumn extends Omit<ColumnMeta, 'type'> {
  type: string;
}
interface PersistedTable extends Omit<TableEntry, 'columns' | 'storage' | 'database'> {
  columns: PersistedColumn[];
}

export const BUILTIN_DATABASES = ['system', 'information_schema', 'INFORMATION_SCHEMA'];

function fileName(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E');
}

/**
 * Databases and their tables. Metadata is one JSON file per object under `<data>/metadata/`, written
 * atomically; storage objects are attached by the engine after loading.
 */
export class Catalog {
  readonly databases = new Map<string, DatabaseEntry>();

  constructor(readonly metadataDir: string) {}

  async load(): Promise<TableEntry[]> {
    await fs.mkdir(this.metadataDir, { recursive: true });
    for (const name of BUILTIN_DATABASES) {
      this.databases.set(name, { name, engine: 'Memory', uuid: randomUUID(), comment: '', tables: new Map(), builtin: true });
    }
    const loaded: TableEntry[] = [];
    const entries = await fs.readdir(this.metadataDir, { withFileTypes: true });
    for (const e of entries) {
      if (!e.isFile() || !e.name.endsWith('.json') || e.name.includes('.tmp-')) continue;
      const meta = JSON.parse(await fs.readFile(path.join(this.metadataDir, e.name), 'utf8')) as Omit<DatabaseEntry, 'tables' | 'builtin'>;
      this.databases.set(meta.name, { ...meta, tables: new Map(), builtin: false });
    }
    if (!this.databases.has('default')) await this.createDatabase('default', 'Atomic', '');
    for (const db of this.databases.values()) {
      if (db.builtin) continue;
      const dir = path.join(this.metadataDir, fileName(db.name));
      await fs.mkdir(dir, { recursive: true });
      for (const f of await fs.readdir(dir)) {
        if (!f.endsWith('.json') || f.includes('.tmp-')) continue;
        const p = JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as PersistedTable;
        const entry: TableEntry = { ...p, database: db.name, columns: p.columns.map((c) => ({ ...c, type: parseDataType(c.type) })) };
        db.tables.set(entry.name, entry);
        loaded.push(entry);
      }
    }
    return loaded;
  }

  database(name: string): DatabaseEntry {
    const db = this.databases.get(name);
    if (!db) throw new DbError('UNKNOWN_DATABASE', `Database ${name} does not exist`);
    return db;
  }

  async createDatabase(name: string, engine: string, comment: string): Promise<void> {
    if (this.databases.has(name)) throw new DbError('DATABASE_ALREADY_EXISTS', `Database ${name} already exists`);
    const meta = { name, engine, uuid: randomUUID(), comment };
    await writeFileAtomic(path.join(this.metadataDir, `${fileName(name)}.json`), JSON.stringify(meta, null, 2));
    await fs.mkdir(path.join(this.metadataDir, fileName(name)), { recursive: true });
    this.databases.set(name, { ...meta, tables: new Map(), builtin: false });
  }

  async dropDatabase(name: string): Promise<TableEntry[]> {
    const db = this.database(name);
    if (db.builtin || name === 'default') throw new DbError('BAD_ARGUMENTS', `Cannot drop database ${name}`);
    const tables = [...db.tables.values()];
    await fs.rm(path.join(this.metadataDir, fileName(name)), { recursive: true, force: true });
    await fs.rm(path.join(this.metadataDir, `${fileName(name)}.json`), { force: true });
    this.databases.delete(name);
    return tables;
  }

  table(database: string, name: string): TableEntry | undefined {
    return this.databases.get(database)?.tables.get(name);
  }

  requireTable(database: string, name: string): TableEntry {
    const db = this.database(database);
    const t = db.tables.get(name);
    if (!t) throw new DbError('UNKNOWN_TABLE', `Table ${database}.${name} does not exist`);
    return t;
  }

  /** Persists (creating or replacing) a table's metadata and registers it. */
  async saveTable(entry: TableEntry): Promise<void> {
    const db = this.database(entry.database);
    if (!entry.temporary) {
      const { storage: _s, database: _d, ...rest } = entry;
      const persisted: PersistedTable = { ...rest, columns: entry.columns.map((c) => ({ ...c, type: c.type.name })) };
      await writeFileAtomic(path.join(this.metadataDir, fileName(db.name), `${fileName(entry.name)}.json`), JSON.stringify(persisted, null, 2));
    }
    db.tables.set(entry.name, entry);
  }

  async removeTable(database: string, name: string): Promise<void> {
    const db = this.database(database);
    await fs.rm(path.join(this.metadataDir, fileName(db.name), `${fileName(name)}.json`), { force: true });
    db.tables.delete(name);
  }

  static newUuid(): string {
    return randomUUID();
  }
}
