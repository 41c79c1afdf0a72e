import type {
  DropStatement,
  ExplainStatement,
  InsertStatement,
  Query,
  RenameStatement,
  Statement,
  TruncateStatement,
} from './ast.js';
import { AdminParser } from './parse-admin.js';

/** Statements kept as text: access control, transactions, cluster and server administration. */
const TEXT_STATEMENTS = new Set([
  'SYSTEM', 'BEGIN', 'COMMIT', 'ROLLBACK', 'START', 'CHECK', 'GRANT', 'REVOKE', 'ATTACH', 'DETACH', 'WATCH', 'UNDROP',
  'BACKUP', 'RESTORE', 'MOVE',
]);
/** Objects of CREATE/ALTER/DROP kept as text. */
const TEXT_OBJECTS = new Set(['USER', 'ROLE', 'ROW', 'POLICY', 'QUOTA', 'SETTINGS', 'PROFILE', 'DICTIONARY', 'FORMAT', 'NAMED']);

const EXPLAIN_KINDS: readonly string[] = ['AST', 'SYNTAX', 'PLAN', 'PIPELINE', 'ESTIMATE'];

/** Statement dispatch, and INSERT, DROP, TRUNCATE, RENAME/EXCHANGE, USE, SET, EXPLAIN. */
export class StatementParser extends AdminParser {
  /** One statement at the cursor, without the trailing `;`. INSERT data is not read. */
  parseStatementBody(): Statement {
    const t = this.peek();
    const start = t.start;
    if (t.type === 'op' && t.value === '(') return this.parseQueryWithOutput();
    if (t.type !== 'word') this.fail('statement');
    switch (t.upper) {
      case 'SELECT':
      case 'WITH':
        return this.parseQueryWithOutput();
      case 'INSERT':
        return this.parseInsert();
      case 'CREATE':
      case 'REPLACE':
        return this.parseCreate(start);
      case 'ALTER':
        if (TEXT_OBJECTS.has(this.peek(1).upper)) return this.parseAsText(start);
        this.advance();
        return this.parseAlter();
      case 'DROP':
        return this.parseDrop(start);
      case 'TRUNCATE':
        return this.parseTruncate();
      case 'RENAME':
      case 'EXCHANGE':
        return this.parseRename();
      case 'DELETE':
        this.advance();
        return this.parseDelete();
      case 'USE':
        this.advance();
        return { kind: 'use', database: this.ident() };
      case 'SET':
        if (this.isKw('ROLE', 1) || (this.isKw('DEFAULT', 1) && this.isKw('ROLE', 2))) return this.parseAsText(start);
        this.advance();
        return { kind: 'set', settings: this.parseSettingsList() };
      case 'SHOW': {
        this.advance();
        const st = this.parseShow();
        if (!st) return this.parseAsText(start);
        this.parseFormatClause(st);
        return st;
      }
      case 'DESC':
      case 'DESCRIBE': {
        this.advance();
        const st = this.parseDescribe();
        this.parseFormatClause(st);
        if (this.acceptKw('SETTINGS')) st.settings = this.parseSettingsList();
        return st;
      }
      case 'EXISTS': {
        if (this.isOp('(', 1)) return this.parseQueryWithOutput();
        this.advance();
        const st = this.parseExists();
        this.parseFormatClause(st);
        return st;
      }
      case 'KILL':
        if (!this.isKw('QUERY', 1)) return this.parseAsText(start);
        this.idx += 2;
        {
          const st = this.parseKillQuery();
          this.parseFormatClause(st);
          return st;
        }
      case 'OPTIMIZE':
        this.advance();
        return this.parseOptimize();
      case 'EXPLAIN':
        return this.parseExplain();
      case 'SUBSCRIBE':
        if (this.isKw('TO', 1) && this.isQueryStart(2)) {
          this.idx += 2;
          const q = this.parseQueryWithOutput();
          q.subscribe = true;
          return q;
        }
        break;
      case 'RECOVER':
        // Proton: RECOVER FROM 'query_id' (a string literal, as Proton's parser requires).
        this.advance();
        this.expectKw('FROM');
        return { kind: 'recover', queryId: this.stringLit() };
      case 'UNSUBSCRIBE':
        this.advance();
        this.expectKw('TO');
        return { kind: 'unsubscribe', queryId: this.stringLit() };
    }
    if (TEXT_STATEMENTS.has(t.upper)) return this.parseAsText(start);
    this.fail('statement');
  }

  /** A query with optional trailing `FORMAT x` and `SETTINGS …`. */
  parseQueryWithOutput(): Query {
    const q = this.parseQuery();
    if (this.acceptKws('INTO', 'OUTFILE')) {
      this.stringLit();
      if (this.acceptKw('COMPRESSION')) this.stringLit();
    }
    this.parseFormatClause(q);
    if (this.acceptKw('SETTINGS')) q.settings = { ...q.settings, ...this.parseSettingsList() };
    return q;
  }

  /** `FORMAT name` (or `\G`, ClickHouse's vertical output). */
  parseFormatClause(st: { format?: string }): void {
    if (this.acceptKw('FORMAT')) st.format = this.ident();
    else if (this.acceptOp('\\G')) st.format = 'Vertical';
  }

  private parseCreate(start: number): Statement {
    let orReplace = false;
    if (this.acceptKw('REPLACE')) orReplace = true;
    else {
      this.advance();
      if (this.acceptKws('OR', 'REPLACE')) orReplace = true;
    }
    const temporary = this.acceptKw('TEMPORARY');
    const t = this.peek();
    switch (t.upper) {
      case 'DATABASE':
        this.advance();
        return this.parseCreateDatabase();
      case 'TABLE':
      case 'STREAM':
        this.advance();
        return this.parseCreateTable(t.upper, orReplace, temporary);
      case 'RANDOM':
      case 'EXTERNAL': {
        const second = this.peek(1).upper;
        if (second === 'STREAM' || (t.upper === 'EXTERNAL' && second === 'TABLE')) {
          this.idx += 2;
          return this.parseCreateTable(`${t.upper} ${second}` as 'RANDOM STREAM', orReplace, temporary);
        }
        break;
      }
      case 'VIEW':
        this.advance();
        return this.parseCreateView(false, orReplace);
      case 'MATERIALIZED':
        this.advance();
        this.expectKw('VIEW');
        return this.parseCreateView(true, orReplace);
      case 'FUNCTION':
        this.advance();
        return this.parseCreateFunction(orReplace, false, false);
      case 'AGGREGATE':
        this.advance();
        this.expectKw('FUNCTION');
        return this.parseCreateFunction(orReplace, true, false);
      case 'REMOTE':
        this.advance();
        this.expectKw('FUNCTION');
        return this.parseCreateFunction(orReplace, false, true);
    }
    if (TEXT_OBJECTS.has(t.upper)) return this.parseAsText(start);
    this.fail('TABLE, STREAM, VIEW, DATABASE or FUNCTION');
  }

  private parseInsert(): InsertStatement {
    this.advance();
    this.expectKw('INTO');
    const st: InsertStatement = { kind: 'insert' };
    this.acceptObjectWord(['TABLE', 'STREAM'], ['VALUES', 'FORMAT', 'SELECT', 'WITH', 'SETTINGS']);
    if (this.acceptKw('FUNCTION')) st.tableFunction = this.parseTableFunction();
    else st.target = this.parseQualifiedName();
    if (this.isOp('(') && !this.isQueryStart(1)) {
      this.advance();
      st.columns = [];
      if (!this.acceptOp(')')) {
        do {
          if (this.acceptOp('*')) {
            st.columns.push('*');
            if (this.acceptKw('EXCEPT')) {
              const paren = this.acceptOp('(');
              st.columnsExcept = [];
              do st.columnsExcept.push(this.ident());
              while (paren && this.acceptOp(','));
              if (paren) this.expectOp(')');
            }
            continue;
          }
          let name = this.ident();
          while (this.acceptOp('.')) name += '.' + this.ident();
          st.columns.push(name);
        } while (this.acceptOp(','));
        this.expectOp(')');
      }
    }
    if (this.acceptKws('FROM', 'INFILE')) {
      st.infile = this.stringLit();
      if (this.acceptKw('COMPRESSION')) st.compression = this.stringLit();
    }
    if (this.acceptKw('SETTINGS')) st.settings = this.parseSettingsList();
    const t = this.peek();
    if (!st.infile && t.type === 'word' && t.upper === 'VALUES') {
      // The data is not tokenized: it starts at the first non-blank character after VALUES.
      this.advance();
      st.format = 'Values';
      st.dataOffset = skipBlanks(this.sql, t.end);
      return st;
    }
    if (this.acceptKw('FORMAT')) {
      const f = this.peek();
      st.format = this.ident();
      if (!st.infile) st.dataOffset = formatDataStart(this.sql, f.end);
      return st;
    }
    if (this.isQueryStart()) {
      st.select = this.parseQuery();
      if (this.acceptKw('FORMAT')) {
        // `INSERT INTO t SELECT … FROM input('a int') FORMAT CSV` is followed by the data for input().
        const f = this.peek();
        st.format = this.ident();
        st.dataOffset = formatDataStart(this.sql, f.end);
      }
      return st;
    }
    if (!st.infile && t.type !== 'eof' && !(t.type === 'op' && t.value === ';')) this.fail('VALUES, FORMAT or SELECT');
    return st;
  }

  private parseDrop(start: number): Statement {
    if (TEXT_OBJECTS.has(this.peek(1).upper) && this.peek(1).upper !== 'DICTIONARY') return this.parseAsText(start);
    this.advance();
    const temporary = this.acceptKw('TEMPORARY');
    const objectKind = this.parseObjectKind();
    if (!objectKind) this.fail('TABLE, STREAM, VIEW, DATABASE, DICTIONARY or FUNCTION');
    const ifExists = this.acceptKws('IF', 'EXISTS');
    const target = objectKind === 'DATABASE' || objectKind === 'FUNCTION' ? { name: this.ident() } : this.parseQualifiedName();
    this.skipOnCluster();
    const st: DropStatement = { kind: 'drop', objectKind, ifExists, target };
    if (temporary) st.temporary = true;
    if (this.acceptKw('SYNC') || this.acceptKws('NO', 'DELAY')) st.sync = true;
    // Proton: `DROP STREAM s SETTINGS enable_dependency_check = false`.
    if (this.acceptKw('SETTINGS')) st.settings = this.parseSettingsList();
    return st;
  }

  private parseTruncate(): TruncateStatement {
    this.advance();
    this.acceptKw('TEMPORARY');
    const kind = this.acceptObjectWord(['TABLE', 'STREAM'], ['ON']) as TruncateStatement['objectKind'];
    const ifExists = this.acceptKws('IF', 'EXISTS');
    const st: TruncateStatement = { kind: 'truncate', ifExists, target: this.parseQualifiedName() };
    if (kind) st.objectKind = kind;
    this.skipOnCluster();
    return st;
  }

  private parseRename(): RenameStatement {
    const exchange = this.advance().upper === 'EXCHANGE';
    const kindWord = exchange
      ? this.acceptAnyKw(['TABLES', 'DICTIONARIES'])
      : this.acceptAnyKw(['TABLE', 'STREAM', 'DATABASE', 'DICTIONARY']);
    if (!kindWord) this.fail();
    const ifExists = !exchange && this.acceptKws('IF', 'EXISTS');
    const objectKind = (kindWord === 'TABLES' ? 'TABLE' : kindWord === 'DICTIONARIES' ? 'DICTIONARY' : kindWord) as RenameStatement['objectKind'];
    const pairs: RenameStatement['pairs'] = [];
    do {
      const from = objectKind === 'DATABASE' ? { name: this.ident() } : this.parseQualifiedName();
      this.expectKw(exchange ? 'AND' : 'TO');
      const to = objectKind === 'DATABASE' ? { name: this.ident() } : this.parseQualifiedName();
      pairs.push({ from, to });
    } while (!exchange && this.acceptOp(','));
    this.skipOnCluster();
    const st: RenameStatement = { kind: 'rename', objectKind, pairs };
    if (exchange) st.exchange = true;
    if (ifExists) st.ifExists = true;
    return st;
  }

  private parseExplain(): ExplainStatement {
    this.advance();
    let explainKind: ExplainStatement['explainKind'] = 'PLAN';
    const k = this.acceptAnyKw(EXPLAIN_KINDS);
    if (k) explainKind = k as ExplainStatement['explainKind'];
    else if (this.acceptKws('QUERY', 'TREE')) explainKind = 'QUERY TREE';
    const st = { kind: 'explain', explainKind } as ExplainStatement;
    while ((this.peek().type === 'word' || this.peek().type === 'quoted') && this.isOp('=', 1)) {
      const name = this.ident();
      this.advance();
      (st.options ??= {})[name] = this.parseSettingValue();
      this.acceptOp(',');
    }
    st.statement = this.parseStatementBody();
    const inner = st.statement as { format?: string };
    if (inner.format !== undefined && (st.statement.kind === 'select' || st.statement.kind === 'set_operation')) {
      st.format = inner.format;
      delete inner.format;
    } else this.parseFormatClause(st);
    return st;
  }
}

function skipBlanks(sql: string, i: number): number {
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) i++;
    else break;
  }
  return i;
}

/** After `FORMAT name`: spaces and tabs, then at most one line break (as ClickHouse). */
function formatDataStart(sql: string, i: number): number {
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12) i++;
    else break;
  }
  if (sql.charCodeAt(i) === 13) i++;
  if (sql.charCodeAt(i) === 10) i++;
  return i;
}
