import type {
  ColumnDef,
  CreateDatabaseStatement,
  CreateFunctionStatement,
  CreateTableStatement,
  CreateViewStatement,
  Expr,
  LambdaExpr,
  SettingsMap,
} from './ast.js';
import { SelectParser } from './parse-select.js';

type Engine = { name: string; args: Expr[] };
type TableObjectKind = CreateTableStatement['objectKind'];

/** Words that end a column definition's type-less form (`a DEFAULT 1`). */
const COLUMN_CLAUSES = new Set(['DEFAULT', 'MATERIALIZED', 'ALIAS', 'EPHEMERAL', 'NULL', 'NOT', 'COMMENT', 'CODEC', 'TTL', 'PRIMARY']);

/**
 * CREATE DATABASE / TABLE / STREAM / RANDOM STREAM / EXTERNAL STREAM / [MATERIALIZED] VIEW / FUNCTION,
 * starting after `CREATE [OR REPLACE]`; column definitions are shared with ALTER.
 */
export abstract class CreateParser extends SelectParser {
  parseCreateDatabase(): CreateDatabaseStatement {
    const ifNotExists = this.acceptKws('IF', 'NOT', 'EXISTS');
    const st: CreateDatabaseStatement = { kind: 'create_database', ifNotExists, name: this.ident() };
    this.skipOnCluster();
    if (this.acceptKw('ENGINE')) st.engine = this.parseEngine();
    if (this.acceptKw('COMMENT')) st.comment = this.stringLit();
    return st;
  }

  parseCreateTable(objectKind: TableObjectKind, orReplace: boolean, temporary: boolean): CreateTableStatement {
    const ifNotExists = this.acceptKws('IF', 'NOT', 'EXISTS');
    const name = this.parseQualifiedName();
    const st: CreateTableStatement = {
      kind: 'create_table',
      objectKind,
      orReplace,
      ifNotExists,
      temporary,
      table: name,
      columns: [],
    };
    if (this.acceptKw('UUID')) this.stringLit();
    this.skipOnCluster();
    if (this.isOp('(') && !this.isQueryStart(1)) this.parseTableElements(st);
    if (this.isKw('AS') && !this.isQueryStart(1)) {
      this.advance();
      if ((this.peek().type === 'word' || this.peek().type === 'quoted') && this.isOp('(', 1)) {
        st.asTableFunction = this.parseTableFunction();
      } else st.asTable = this.parseQualifiedName();
    }
    this.parseStorageClauses(st);
    if (this.acceptKw('AS')) {
      if (!this.isQueryStart()) this.fail('SELECT');
      st.asSelect = this.parseQuery();
    }
    if (!st.comment && this.acceptKw('COMMENT')) st.comment = this.stringLit();
    return st;
  }

  private parseTableElements(st: CreateTableStatement): void {
    this.expectOp('(');
    if (this.acceptOp(')')) return;
    do {
      if (this.isKw('INDEX') && this.peek(1).type !== 'op' && this.tryParseIndex(st)) {
        /* an index */
      } else if (this.isKw('CONSTRAINT') && this.peek(1).type !== 'op') {
        this.advance();
        const name = this.ident();
        if (!this.acceptKw('CHECK')) this.expectKw('ASSUME');
        (st.constraints ??= []).push({ name, check: this.parseExpr() });
      } else if (this.isKw('PROJECTION') && this.isOp('(', 2)) {
        this.advance();
        const name = this.ident();
        this.expectOp('(');
        const query = this.parseQuery();
        this.expectOp(')');
        (st.projections ??= []).push({ name, query });
      } else if (this.isKw('PRIMARY') && this.isKw('KEY', 1)) {
        this.idx += 2;
        st.primaryKey = this.parseKeyList();
      } else {
        const col = this.parseColumnDef();
        if (col.primaryKey) {
          delete col.primaryKey;
          (st.primaryKey ??= []).push({ kind: 'identifier', parts: [col.name] });
        }
        st.columns.push(col);
      }
    } while (this.acceptOp(','));
    this.expectOp(')');
  }

  /** `INDEX name expr TYPE t [GRANULARITY n]`; false (nothing consumed) when it is a column called `index`. */
  private tryParseIndex(st: CreateTableStatement): boolean {
    const m = this.mark();
    const depth = this.depth;
    try {
      this.advance();
      const name = this.ident();
      const expr = this.parseExpr();
      this.expectKw('TYPE');
      const typeStart = this.offset;
      const t = this.advance();
      if (this.isOp('(')) this.parseFunctionCall(t.value, t.start);
      const index: NonNullable<CreateTableStatement['indexes']>[number] = { name, expr, type: this.sql.slice(typeStart, this.prevEnd) };
      if (this.acceptKw('GRANULARITY')) index.granularity = Number(this.advance().value);
      (st.indexes ??= []).push(index);
      return true;
    } catch (e) {
      if ((e as { code?: number }).code !== 62) throw e;
      this.rewind(m);
      this.depth = depth;
      return false;
    }
  }

  /** `name [type] [NULL|NOT NULL] [DEFAULT|MATERIALIZED|ALIAS|EPHEMERAL expr] [COMMENT 's'] [CODEC(…)] [TTL expr]`, any order after the type. */
  parseColumnDef(): ColumnDef & { primaryKey?: boolean } {
    const col: ColumnDef & { primaryKey?: boolean } = { name: this.ident() };
    while (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted')) {
      this.advance();
      col.name += '.' + this.ident();
    }
    const t = this.peek();
    if ((t.type === 'word' && !COLUMN_CLAUSES.has(t.upper)) || t.type === 'quoted') col.type = this.parseTypeAst();
    for (;;) {
      if (this.acceptKw('NULL')) col.nullable = true;
      else if (this.acceptKws('NOT', 'NULL')) col.nullable = false;
      else if (this.isKw('DEFAULT') || this.isKw('MATERIALIZED') || this.isKw('ALIAS') || this.isKw('EPHEMERAL')) {
        const kind = this.advance().upper as NonNullable<ColumnDef['defaultKind']>;
        col.defaultKind = kind;
        if (kind !== 'EPHEMERAL' || !this.isColumnDefEnd()) col.defaultExpr = this.parseExpr();
      } else if (this.acceptKw('COMMENT')) col.comment = this.stringLit();
      else if (this.isKw('CODEC') && this.isOp('(', 1)) {
        this.advance();
        const start = this.offset;
        this.advance();
        this.parseArguments(false);
        col.codec = this.sql.slice(start + 1, this.prevEnd - 1).trim();
      } else if (this.acceptKw('TTL')) col.ttl = this.parseExpr();
      else if (this.acceptKws('PRIMARY', 'KEY')) col.primaryKey = true;
      else return col;
    }
  }

  private isColumnDefEnd(): boolean {
    const t = this.peek();
    return t.type === 'eof' || (t.type === 'op' && (t.value === ',' || t.value === ')')) || (t.type === 'word' && COLUMN_CLAUSES.has(t.upper));
  }

  /** `(a, b)`, `tuple()`, `a` → the key's expressions. */
  parseKeyList(): Expr[] {
    const e = this.parseExpr();
    if (e.kind === 'function' && e.name.toLowerCase() === 'tuple' && !e.alias) return e.args;
    return [e];
  }

  parseEngine(): Engine {
    this.acceptOp('=');
    const t = this.peek();
    const name = this.ident();
    const engine: Engine = { name, args: [] };
    if (this.isOp('(')) engine.args = this.parseFunctionCall(name, t.start).args;
    return engine;
  }

  /** ENGINE, ORDER BY, PARTITION BY, PRIMARY KEY, SAMPLE BY, TTL, SETTINGS, COMMENT in any order. */
  parseStorageClauses(st: {
    engine?: Engine;
    orderBy?: Expr[];
    partitionBy?: Expr;
    primaryKey?: Expr[];
    sampleBy?: Expr;
    ttl?: Expr[];
    settings?: SettingsMap;
    comment?: string;
  }): void {
    for (;;) {
      if (this.acceptKw('ENGINE')) st.engine = this.parseEngine();
      else if (this.acceptKws('ORDER', 'BY')) st.orderBy = this.parseKeyList();
      else if (this.acceptKws('PARTITION', 'BY')) st.partitionBy = this.parseExpr();
      else if (this.acceptKws('PRIMARY', 'KEY')) st.primaryKey = this.parseKeyList();
      else if (this.acceptKws('SAMPLE', 'BY')) st.sampleBy = this.parseExpr();
      else if (this.acceptKw('TTL')) st.ttl = this.parseTtlList();
      else if (this.acceptKw('SETTINGS')) st.settings = { ...st.settings, ...this.parseSettingsList() };
      else if (this.isKw('COMMENT') && this.peek(1).type === 'string') {
        this.advance();
        st.comment = this.stringLit();
      } else return;
    }
  }

  /** `expr [DELETE | TO DISK 'd' | TO VOLUME 'v' | RECOMPRESS CODEC(…)] [WHERE …], …`; only the expressions are kept. */
  parseTtlList(endsAtComma?: () => boolean): Expr[] {
    const out: Expr[] = [];
    do {
      out.push(this.parseExpr());
      if (this.acceptKw('DELETE')) {
        /* default action */
      } else if (this.acceptKw('TO')) {
        if (!this.acceptAnyKw(['DISK', 'VOLUME'])) this.fail();
        this.stringLit();
      } else if (this.acceptKw('RECOMPRESS')) {
        this.expectKw('CODEC');
        this.expectOp('(');
        this.parseArguments(false);
      }
      if (this.acceptKw('WHERE')) this.parseExpr();
      if (this.acceptKws('GROUP', 'BY')) {
        this.parseExprList();
        if (this.acceptKw('SET')) {
          do {
            this.ident();
            this.expectOp('=');
            this.parseExpr();
          } while (this.acceptOp(','));
        }
      }
    } while (this.isOp(',') && !endsAtComma?.() && this.acceptOp(','));
    return out;
  }

  parseCreateView(materialized: boolean, orReplace: boolean): CreateViewStatement {
    const ifNotExists = this.acceptKws('IF', 'NOT', 'EXISTS');
    const view = this.parseQualifiedName();
    this.skipOnCluster();
    const st = { kind: 'create_view', materialized, orReplace, ifNotExists, view } as CreateViewStatement;
    if (this.acceptKw('INTO') || this.acceptKw('TO')) st.target = this.parseQualifiedName();
    if (this.isOp('(') && !this.isQueryStart(1)) {
      const holder: CreateTableStatement = {
        kind: 'create_table',
        objectKind: 'TABLE',
        orReplace: false,
        ifNotExists: false,
        temporary: false,
        table: view,
        columns: [],
      };
      this.parseTableElements(holder);
      st.columns = holder.columns;
    }
    this.parseStorageClauses(st);
    if (this.acceptKw('POPULATE')) st.populate = true;
    this.expectKw('AS');
    st.query = this.parseQuery();
    if (this.acceptKw('COMMENT')) st.comment = this.stringLit();
    return st;
  }

  /**
   * SQL UDF `f AS (x) -> …`; JavaScript UDF `f(a type, …) RETURNS type LANGUAGE JAVASCRIPT AS $$ … $$`;
   * Proton's remote UDF `f(a type) RETURNS type URL '…' [AUTH_METHOD '…' …]`.
   */
  parseCreateFunction(orReplace: boolean, aggregate: boolean, remote: boolean): CreateFunctionStatement {
    const ifNotExists = this.acceptKws('IF', 'NOT', 'EXISTS');
    const name = this.ident();
    const st: CreateFunctionStatement = { kind: 'create_function', orReplace, ifNotExists, name, aggregate };
    if (this.acceptOp('(')) {
      st.args = [];
      if (!this.acceptOp(')')) {
        do st.args.push({ name: this.ident(), type: this.parseTypeAst() });
        while (this.acceptOp(','));
        this.expectOp(')');
      }
    }
    this.skipOnCluster();
    if (st.args) {
      this.expectKw('RETURNS');
      st.returns = this.parseTypeAst();
      if (remote) {
        st.language = 'REMOTE';
        st.options = this.parseKeyValueOptions();
        return st;
      }
      this.expectKw('LANGUAGE');
      st.language = this.ident().toUpperCase();
      this.expectKw('AS');
      st.body = this.stringLit();
      const options = this.parseKeyValueOptions();
      if (Object.keys(options).length > 0) st.options = options;
      return st;
    }
    this.expectKw('AS');
    const lambda = this.parseExpr();
    if (lambda.kind !== 'lambda') this.error('Expected a lambda expression (x, y) -> …');
    st.lambda = lambda as LambdaExpr;
    return st;
  }

  /** `KEY value KEY value …` (`URL 'x' AUTH_METHOD 'none' EXECUTION_TIMEOUT 1000`). */
  private parseKeyValueOptions(): SettingsMap {
    const out: SettingsMap = {};
    while (this.peek().type === 'word' && !this.isKw('SETTINGS') && !this.isKw('FORMAT')) {
      const key = this.advance().value.toLowerCase();
      out[key] = this.parseSettingValue();
    }
    return out;
  }

  /** `ON CLUSTER name` is accepted and ignored (single server). */
  skipOnCluster(): void {
    if (this.isKw('ON') && this.isKw('CLUSTER', 1)) {
      this.idx += 2;
      this.identOrString();
    }
  }
}
