import type {
  DescribeStatement,
  ExistsStatement,
  FromItem,
  KillQueryStatement,
  ObjectKind,
  OptimizeStatement,
  ShowStatement,
  SystemStatement,
} from './ast.js';
import { AlterParser } from './parse-alter.js';

/** SHOW CREATE of these is kept as text. */
const ACCESS_OBJECTS = new Set(['USER', 'ROLE', 'QUOTA', 'ROW', 'POLICY', 'SETTINGS', 'PROFILE']);
const SHOW_LISTS: readonly string[] = ['DATABASES', 'TABLES', 'STREAMS', 'VIEWS', 'DICTIONARIES'];

/** SHOW, DESCRIBE, EXISTS, KILL QUERY, OPTIMIZE, and statements kept as text (SYSTEM, BEGIN, GRANT, …). */
export abstract class AdminParser extends AlterParser {
  /** `TABLE`, `STREAM`, `MATERIALIZED VIEW`, … when present. */
  parseObjectKind(): ObjectKind | undefined {
    const t = this.peek();
    if (t.type !== 'word') return undefined;
    switch (t.upper) {
      case 'TABLE':
      case 'STREAM':
      case 'VIEW':
      case 'DATABASE':
      case 'DICTIONARY':
      case 'FUNCTION':
        this.advance();
        return t.upper;
      case 'MATERIALIZED':
      case 'RANDOM':
      case 'EXTERNAL': {
        const n = this.peek(1);
        const second = t.upper === 'MATERIALIZED' ? 'VIEW' : t.upper === 'RANDOM' ? 'STREAM' : n.upper;
        if (n.type === 'word' && n.upper === second && (second === 'VIEW' || second === 'STREAM' || second === 'TABLE')) {
          this.idx += 2;
          return `${t.upper} ${second}` as ObjectKind;
        }
      }
    }
    return undefined;
  }

  /** After `SHOW`; returns undefined for SHOW forms kept as text. */
  parseShow(): ShowStatement | undefined {
    const temporary = this.acceptKw('TEMPORARY');
    const full = this.acceptKw('FULL');
    const list = this.acceptAnyKw(SHOW_LISTS);
    if (list) {
      const st: ShowStatement = { kind: 'show', what: list as ShowStatement['what'] };
      if (list !== 'DATABASES' && (this.acceptKw('FROM') || this.acceptKw('IN'))) st.from = { name: this.ident() };
      this.parseShowFilter(st);
      return st;
    }
    if (this.isKw('CREATE') && ACCESS_OBJECTS.has(this.peek(1).upper) && this.peek(2).type !== 'op') return undefined;
    if (this.isKw('CREATE') && this.isKw('FORMAT', 1) && this.isKw('SCHEMA', 2)) return undefined;
    if (this.acceptKw('CREATE')) {
      const st: ShowStatement = { kind: 'show', what: 'CREATE' };
      this.acceptKw('TEMPORARY');
      const kind = this.parseObjectKind();
      if (kind) st.createKind = kind;
      st.target = kind === 'DATABASE' ? { name: this.ident() } : this.parseQualifiedName();
      return st;
    }
    if (this.acceptKw('PROCESSLIST')) return { kind: 'show', what: 'PROCESSLIST' };
    if (this.acceptKw('COLUMNS') || this.acceptKw('FIELDS')) {
      const st: ShowStatement = { kind: 'show', what: 'COLUMNS' };
      if (full) st.full = true;
      if (!this.acceptKw('FROM')) this.expectKw('IN');
      st.from = this.parseQualifiedName();
      if (this.acceptKw('FROM') || this.acceptKw('IN')) st.from = { database: this.ident(), name: st.from.name };
      this.parseShowFilter(st);
      return st;
    }
    if (this.acceptKw('INDEX') || this.acceptKw('INDEXES') || this.acceptKw('KEYS')) {
      const st: ShowStatement = { kind: 'show', what: 'INDEX' };
      if (!this.acceptKw('FROM')) this.expectKw('IN');
      st.from = this.parseQualifiedName();
      if (this.acceptKw('FROM') || this.acceptKw('IN')) st.from = { database: this.ident(), name: st.from.name };
      this.parseShowFilter(st);
      return st;
    }
    const simple = this.acceptAnyKw(['SETTINGS', 'FUNCTIONS', 'ENGINES', 'USERS']);
    if (simple) {
      const st: ShowStatement = { kind: 'show', what: simple as ShowStatement['what'] };
      this.parseShowFilter(st);
      return st;
    }
    if (this.isKw('CHANGED') && this.isKw('SETTINGS', 1)) {
      this.idx += 2;
      const st: ShowStatement = { kind: 'show', what: 'SETTINGS' };
      this.parseShowFilter(st);
      return st;
    }
    if (this.acceptKw('GRANTS')) {
      if (this.acceptKw('FOR')) this.skipToEnd();
      return { kind: 'show', what: 'GRANTS' };
    }
    if (temporary) this.fail('TABLES');
    return undefined;
  }

  private parseShowFilter(st: ShowStatement): void {
    if (this.acceptKw('NOT')) {
      st.notLike = true;
      if (this.acceptKw('ILIKE')) st.ilike = true;
      else this.expectKw('LIKE');
      st.like = this.stringLit();
    } else if (this.acceptKw('LIKE')) st.like = this.stringLit();
    else if (this.acceptKw('ILIKE')) {
      st.ilike = true;
      st.like = this.stringLit();
    } else if (this.acceptKw('WHERE')) st.where = this.parseExprWithAlias(false);
    if (this.acceptKw('LIMIT')) st.limit = this.parseOperand();
  }

  /** After `DESC`/`DESCRIBE`. */
  parseDescribe(): DescribeStatement {
    if ((this.isKw('TABLE') || this.isKw('STREAM')) && this.isOp('(', 1) && this.isQueryStart(2)) this.advance();
    else this.acceptObjectWord(['TABLE', 'STREAM']);
    let from: FromItem;
    const t = this.peek();
    if (t.type === 'op' && t.value === '(') {
      this.advance();
      from = { kind: 'subquery', query: this.parseQuery(), pos: t.start };
      this.expectOp(')');
    } else if ((t.type === 'word' || t.type === 'quoted') && this.isOp('(', 1)) {
      from = this.parseTableFunction();
    } else {
      const name = this.parseQualifiedName();
      from = { kind: 'table', name: name.name, pos: t.start };
      if (name.database !== undefined) from.database = name.database;
    }
    return { kind: 'describe', from };
  }

  /** After `EXISTS`. */
  parseExists(): ExistsStatement {
    const temporary = this.acceptKw('TEMPORARY');
    const objectKind = this.parseObjectKind();
    const target = objectKind === 'DATABASE' ? { name: this.ident() } : this.parseQualifiedName();
    const st: ExistsStatement = { kind: 'exists', target };
    if (objectKind) st.objectKind = objectKind;
    if (temporary) st.temporary = true;
    return st;
  }

  /** After `KILL QUERY`. */
  parseKillQuery(): KillQueryStatement {
    this.skipOnCluster();
    this.expectKw('WHERE');
    const st: KillQueryStatement = { kind: 'kill_query', where: this.parseExprWithAlias(false) };
    const mode = this.acceptAnyKw(['SYNC', 'ASYNC', 'TEST']);
    if (mode) st.mode = mode as KillQueryStatement['mode'];
    return st;
  }

  /** After `OPTIMIZE`. */
  parseOptimize(): OptimizeStatement {
    this.acceptObjectWord(['TABLE', 'STREAM'], ['PARTITION', 'FINAL', 'DEDUPLICATE', 'ON']);
    const target = this.parseQualifiedName();
    this.skipOnCluster();
    const st: OptimizeStatement = { kind: 'optimize', target, final: false, deduplicate: false };
    if (this.acceptKw('PARTITION')) {
      st.partition = this.acceptKw('ID') ? { kind: 'literal', value: this.stringLit() } : this.parseOperand();
    }
    if (this.acceptKw('FINAL')) st.final = true;
    if (this.acceptKw('DEDUPLICATE')) {
      st.deduplicate = true;
      if (this.acceptKw('BY')) this.parseExprList();
    }
    return st;
  }

  /** A statement kept as its text, from `start` to the end of the statement. */
  parseAsText(start: number): SystemStatement {
    this.skipToEnd();
    return { kind: 'system', command: this.sql.slice(start, this.prevEnd).trim() };
  }

  /** Skips tokens to the next top-level `;` or the end. */
  skipToEnd(): void {
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof' || (t.type === 'op' && t.value === ';')) return;
      this.advance();
    }
  }
}
