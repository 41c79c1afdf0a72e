import { promises as fsp } from 'node:fs';
import type { Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { parseDataType } from '../../types/type-factory.js';
import { writeFileAtomic } from '../fs-util.js';

interface SchemaDoc {
  current: number;
  versions: Record<string, { name: string; type: string }[]>;
}

/**
 * `schema.json`: the stream's column list per schema version. Log records carry the version they were written
 * with (columns are stored without names or types), so records from before an ALTER still decode.
 */
export class SchemaStore {
  private readonly headers = new Map<number, Header>();
  private constructor(
    private readonly file: string,
    private doc: SchemaDoc,
  ) {}

  static async open(file: string, header: Header): Promise<SchemaStore> {
    let doc: SchemaDoc | undefined;
    try {
      doc = JSON.parse(await fsp.readFile(file, 'utf8')) as SchemaDoc;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new DbError('CORRUPTED_DATA', `Cannot read ${file}: ${(e as Error).message}`);
    }
    const store = new SchemaStore(file, doc ?? { current: -1, versions: {} });
    if (!doc || !sameHeader(store.headerOf(doc.current), header)) await store.bump(header);
    return store;
  }

  get version(): number {
    return this.doc.current;
  }

  headerOf(version: number): Header {
    let h = this.headers.get(version);
    if (!h) {
      const cols = this.doc.versions[String(version)];
      if (!cols) throw new DbError('CORRUPTED_DATA', `Unknown schema version ${version} in ${this.file}`);
      h = cols.map((c) => ({ name: c.name, type: parseDataType(c.type) }));
      this.headers.set(version, h);
    }
    return h;
  }

  /** Records a new current header (a new version) durably. */
  async bump(header: Header): Promise<number> {
    const next = this.doc.current + 1;
    const doc: SchemaDoc = {
      current: next,
      versions: { ...this.doc.versions, [String(next)]: header.map((c) => ({ name: c.name, type: c.type.name })) },
    };
    await writeFileAtomic(this.file, JSON.stringify(doc, null, 1));
    this.doc = doc;
    this.headers.set(next, header);
    return next;
  }
}

export function sameHeader(a: Header | undefined, b: Header): boolean {
  if (!a) return false;
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.type.name === b[i]!.type.name);
}
