/**
 * The syntax tree of Hadron's SQL: ClickHouse's dialect plus Proton's streaming extensions.
 *
 * Like ClickHouse, operators are parsed into function calls with ClickHouse's function names
 * (`a + b` → plus(a, b), `a[1]` → arrayElement(a, 1), `x ? y : z` → if(x, y, z),
 * `INTERVAL 1 DAY` / Proton's `1d` → toIntervalDay(1), `CAST(x AS T)` / `x::T` → CAST(x, 'T')),
 * so the analyzer only has to understand literals, identifiers, functions, lambdas and subqueries.
 */

/** A literal as written. Integers keep their text so that values beyond 2^53 stay exact. */
export type LiteralValue = null | boolean | number | bigint | string | LiteralValue[];

export interface NodeBase {
  /** Character offset in the SQL text, for error messages. */
  pos?: number;
  /** `expr AS alias` */
  alias?: string;
}

export interface LiteralExpr extends NodeBase {
  kind: 'literal';
  value: LiteralValue;
  /** The literal's original spelling for numbers (`1e3`, `0x1F`, `18446744073709551615`). */
  text?: string;
}

export interface IdentifierExpr extends NodeBase {
  kind: 'identifier';
  /** `db.t.col` → ['db', 't', 'col']; quoted parts keep their case and characters. */
  parts: string[];
}

export interface AsteriskExpr extends NodeBase {
  kind: 'asterisk';
  /** `t.*` → ['t'] */
  qualifier?: string[];
  /** `* EXCEPT (a, b)` */
  except?: string[];
  /** `COLUMNS('regexp')` */
  columnsRegexp?: string;
  /** `COLUMNS(a, b)`: an explicit list of column names. */
  columnsList?: string[];
}

export interface FunctionExpr extends NodeBase {
  kind: 'function';
  name: string;
  args: Expr[];
  /** Parametric aggregates: `quantile(0.9)(x)` → params [0.9], args [x]. */
  params?: Expr[];
  /** `count(DISTINCT x)` */
  distinct?: boolean;
  /** `f(...) OVER (...)` or `OVER name` */
  over?: WindowSpec;
  /** Written as `[a, b]` rather than `array(a, b)`: with only literals inside it is named like a literal. */
  bracketSyntax?: boolean;
}

export interface LambdaExpr extends NodeBase {
  kind: 'lambda';
  params: string[];
  body: Expr;
}

export interface SubqueryExpr extends NodeBase {
  kind: 'subquery';
  query: Query;
}

/** `{name:Type}` query parameter. */
export interface ParamExpr extends NodeBase {
  kind: 'param';
  name: string;
  type: TypeAst;
}

export type Expr = LiteralExpr | IdentifierExpr | AsteriskExpr | FunctionExpr | LambdaExpr | SubqueryExpr | ParamExpr;

/** A type as written: `Nullable(Int32)`, `DateTime64(3, 'UTC')`, `Tuple(a Int32, b String)`, `Enum8('a' = 1)`. */
export interface TypeAst {
  name: string;
  args: TypeArg[];
}
export type TypeArg =
  | { kind: 'type'; type: TypeAst; /** element name in named tuples */ name?: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'enum'; name: string; value?: number };

export interface WindowFrameBound {
  kind: 'unbounded_preceding' | 'unbounded_following' | 'current_row' | 'preceding' | 'following';
  offset?: Expr;
}

export interface WindowSpec {
  /** `OVER w` or `OVER (w ORDER BY …)`: the named window this one extends. */
  baseName?: string;
  partitionBy: Expr[];
  orderBy: OrderItem[];
  frame?: { type: 'ROWS' | 'RANGE'; start: WindowFrameBound; end: WindowFrameBound };
}

export interface OrderItem {
  expr: Expr;
  direction: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
  collate?: string;
  /** `WITH FILL [FROM a] [TO b] [STEP c]` */
  withFill?: { from?: Expr; to?: Expr; step?: Expr };
}

// ---------------------------------------------------------------- FROM

export interface TableRef extends NodeBase {
  kind: 'table';
  database?: string;
  name: string;
  final?: boolean;
  sample?: Expr;
  /** `SAMPLE k OFFSET m` */
  sampleOffset?: Expr;
}

export interface TableFunctionRef extends NodeBase {
  kind: 'table_function';
  /** `numbers(10)`, `table(s)`, `tumble(s, 5s)`, `hop(...)`, `session(...)`, `dedup(...)`, `changelog(...)` */
  name: string;
  args: Expr[];
}

export interface SubqueryRef extends NodeBase {
  kind: 'subquery';
  query: Query;
}

export type JoinKind = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'PASTE';
export type JoinStrictness = 'ALL' | 'ANY' | 'ASOF' | 'SEMI' | 'ANTI' | 'LATEST';

export interface JoinRef extends NodeBase {
  kind: 'join';
  left: FromItem;
  right: FromItem;
  joinKind: JoinKind;
  strictness?: JoinStrictness;
  global?: boolean;
  on?: Expr;
  using?: string[];
  /** `FROM a, b` (comma join) is a CROSS join with this flag. */
  comma?: boolean;
}

export interface ArrayJoinRef extends NodeBase {
  kind: 'array_join';
  /** What the ARRAY JOIN applies to (the FROM before it). Absent for `SELECT … ARRAY JOIN [1,2] AS x` with no FROM. */
  left?: FromItem;
  isLeft: boolean;
  /** Each with an optional alias. */
  exprs: Expr[];
}

export type FromItem = TableRef | TableFunctionRef | SubqueryRef | JoinRef | ArrayJoinRef;

// ---------------------------------------------------------------- queries

export interface WithItem {
  name: string;
  /** `WITH name AS (SELECT …)`: a CTE. */
  query?: Query;
  /** `WITH expr AS name`: a named expression. */
  expr?: Expr;
}

/** Proton's EMIT clause. */
export interface EmitClause {
  stream?: boolean;
  changelog?: boolean;
  afterWatermark?: boolean;
  /** `AFTER WATERMARK WITH DELAY <interval>` */
  delay?: Expr;
  periodic?: Expr;
  onUpdate?: boolean;
  timeout?: Expr;
  last?: Expr;
  onProctime?: boolean;
}

export type SettingValue = LiteralValue;
export type SettingsMap = Record<string, SettingValue>;

export interface SelectQuery extends NodeBase {
  kind: 'select';
  with?: WithItem[];
  /** `WITH RECURSIVE` is not supported; the parser rejects it. */
  distinct?: boolean;
  distinctOn?: Expr[];
  /** `SELECT TOP n` */
  top?: Expr;
  columns: Expr[];
  from?: FromItem;
  prewhere?: Expr;
  where?: Expr;
  /** Proton's substreams: `PARTITION BY cols` (after WHERE). */
  partitionBy?: Expr[];
  /** Proton's `SHUFFLE BY cols`. */
  shuffleBy?: Expr[];
  groupBy?: Expr[];
  /** `GROUP BY ALL` */
  groupByAll?: boolean;
  groupByModifier?: 'ROLLUP' | 'CUBE' | 'GROUPING SETS';
  /** With GROUPING SETS: each set's expressions. */
  groupingSets?: Expr[][];
  withTotals?: boolean;
  having?: Expr;
  qualify?: Expr;
  windows?: { name: string; spec: WindowSpec }[];
  orderBy?: OrderItem[];
  limitBy?: { limit: Expr; offset?: Expr; by: Expr[] };
  limit?: Expr;
  offset?: Expr;
  withTies?: boolean;
  emit?: EmitClause;
  settings?: SettingsMap;
  format?: string;
  /** Proton's `SUBSCRIBE TO SELECT …`: a streaming query whose state is checkpointed (top-level query only). */
  subscribe?: boolean;
}

export interface SetOperationQuery extends NodeBase {
  kind: 'set_operation';
  op: 'UNION ALL' | 'UNION DISTINCT' | 'EXCEPT' | 'EXCEPT DISTINCT' | 'INTERSECT' | 'INTERSECT DISTINCT';
  left: Query;
  right: Query;
  /** A trailing `SETTINGS`/`FORMAT` after the whole union. */
  settings?: SettingsMap;
  format?: string;
  /** Proton's `SUBSCRIBE TO …` (see SelectQuery.subscribe). */
  subscribe?: boolean;
  /**
   * A bare `UNION` (no ALL/DISTINCT): `op` is then 'UNION ALL', Proton's default; the setting
   * `union_default_mode` may say otherwise.
   */
  implicitMode?: boolean;
}

export type Query = SelectQuery | SetOperationQuery;

// ---------------------------------------------------------------- statements

export interface QualifiedName {
  database?: string;
  name: string;
}

export interface ColumnDef {
  name: string;
  type?: TypeAst;
  /** Proton's REST DDL and some SQL say `nullable` separately; the parser folds `NULL`/`NOT NULL` into this. */
  nullable?: boolean;
  defaultKind?: 'DEFAULT' | 'MATERIALIZED' | 'ALIAS' | 'EPHEMERAL';
  defaultExpr?: Expr;
  codec?: string;
  ttl?: Expr;
  comment?: string;
}

export type ObjectKind =
  | 'TABLE'
  | 'STREAM'
  | 'RANDOM STREAM'
  | 'EXTERNAL STREAM'
  | 'EXTERNAL TABLE'
  | 'VIEW'
  | 'MATERIALIZED VIEW'
  | 'DATABASE'
  | 'DICTIONARY'
  | 'FUNCTION';

export interface CreateDatabaseStatement {
  kind: 'create_database';
  ifNotExists: boolean;
  name: string;
  engine?: { name: string; args: Expr[] };
  comment?: string;
}

export interface CreateTableStatement {
  kind: 'create_table';
  objectKind: 'TABLE' | 'STREAM' | 'RANDOM STREAM' | 'EXTERNAL STREAM' | 'EXTERNAL TABLE';
  orReplace: boolean;
  ifNotExists: boolean;
  temporary: boolean;
  table: QualifiedName;
  columns: ColumnDef[];
  /** `INDEX name expr TYPE t GRANULARITY n`, kept as text for SHOW CREATE. */
  indexes?: { name: string; expr: Expr; type: string; granularity?: number }[];
  constraints?: { name: string; check: Expr }[];
  /** `PROJECTION name (SELECT …)` */
  projections?: { name: string; query: Query }[];
  engine?: { name: string; args: Expr[] };
  orderBy?: Expr[];
  partitionBy?: Expr;
  primaryKey?: Expr[];
  sampleBy?: Expr;
  ttl?: Expr[];
  settings?: SettingsMap;
  asSelect?: Query;
  /** `CREATE TABLE t AS other` */
  asTable?: QualifiedName;
  /** `CREATE TABLE t AS numbers(10)` */
  asTableFunction?: TableFunctionRef;
  comment?: string;
}

export interface CreateViewStatement {
  kind: 'create_view';
  materialized: boolean;
  orReplace: boolean;
  ifNotExists: boolean;
  view: QualifiedName;
  /** `CREATE MATERIALIZED VIEW mv INTO|TO target AS …` */
  target?: QualifiedName;
  columns?: ColumnDef[];
  engine?: { name: string; args: Expr[] };
  orderBy?: Expr[];
  partitionBy?: Expr;
  primaryKey?: Expr[];
  populate?: boolean;
  query: Query;
  settings?: SettingsMap;
  comment?: string;
}

export interface CreateFunctionStatement {
  kind: 'create_function';
  orReplace: boolean;
  ifNotExists: boolean;
  name: string;
  aggregate: boolean;
  /** SQL UDF: `CREATE FUNCTION f AS (x, y) -> x + y` */
  lambda?: LambdaExpr;
  /** JavaScript UDF: arguments, return type and the body between $$ … $$. */
  args?: { name: string; type: TypeAst }[];
  returns?: TypeAst;
  language?: string;
  body?: string;
  /** `EXECUTION_TIMEOUT n` and similar trailing options. */
  options?: SettingsMap;
}

export interface DropStatement {
  kind: 'drop';
  objectKind: ObjectKind;
  ifExists: boolean;
  /** For DATABASE/FUNCTION only `name` is set. */
  target: QualifiedName;
  temporary?: boolean;
  sync?: boolean;
  settings?: Record<string, LiteralValue>;
}

export interface TruncateStatement {
  kind: 'truncate';
  objectKind?: 'TABLE' | 'STREAM';
  ifExists: boolean;
  target: QualifiedName;
}

export interface RenameStatement {
  kind: 'rename';
  objectKind: 'TABLE' | 'STREAM' | 'DATABASE' | 'DICTIONARY';
  pairs: { from: QualifiedName; to: QualifiedName }[];
  exchange?: boolean;
  /** `RENAME STREAM IF EXISTS a TO b` */
  ifExists?: boolean;
}

export type AlterCommand =
  | { kind: 'add_column'; column: ColumnDef; ifNotExists: boolean; after?: string; first?: boolean }
  | { kind: 'drop_column'; name: string; ifExists: boolean }
  | { kind: 'modify_column'; column: ColumnDef; ifExists: boolean }
  | { kind: 'rename_column'; from: string; to: string; ifExists: boolean }
  | { kind: 'comment_column'; name: string; comment: string }
  | { kind: 'modify_setting'; settings: SettingsMap }
  | { kind: 'reset_setting'; names: string[] }
  | { kind: 'modify_ttl'; ttl: Expr[] }
  | { kind: 'remove_ttl' }
  | { kind: 'modify_order_by'; orderBy: Expr[] }
  | { kind: 'modify_comment'; comment: string }
  | { kind: 'delete'; where: Expr }
  | { kind: 'update'; assignments: { column: string; expr: Expr }[]; where: Expr }
  | { kind: 'drop_partition'; partition: Expr }
  | { kind: 'modify_query'; query: Query }
  /** Any other command (indexes, projections, constraints, partition operations), kept as text. */
  | { kind: 'other'; text: string };

export interface AlterStatement {
  kind: 'alter';
  objectKind: 'TABLE' | 'STREAM' | 'VIEW';
  target: QualifiedName;
  commands: AlterCommand[];
  /** Trailing `SETTINGS mutations_sync = 2` and the like. */
  settings?: SettingsMap;
}

/** `DELETE FROM t WHERE …` (lightweight delete), treated like `ALTER TABLE t DELETE WHERE …`. */
export interface DeleteStatement {
  kind: 'delete';
  target: QualifiedName;
  where: Expr;
}

export interface InsertStatement {
  kind: 'insert';
  target?: QualifiedName;
  /** `INSERT INTO FUNCTION remote(...)` */
  tableFunction?: TableFunctionRef;
  columns?: string[];
  /** `INSERT INTO t (* EXCEPT (a, b))`: every column but these (`columns` is then `['*']`). */
  columnsExcept?: string[];
  /** `INSERT … SELECT` */
  select?: Query;
  /** `VALUES` → 'Values'; `FORMAT X` → 'X'; absent for INSERT … SELECT and for INSERT with data coming separately. */
  format?: string;
  /**
   * Offset in the SQL text where inline data starts (just after `VALUES` or after `FORMAT X` and one
   * whitespace character), as ClickHouse does; `sql.length` when nothing follows.
   */
  dataOffset?: number;
  /**
   * Offset just past the inline data when it ends before the end of the text: set by `parseStatements` for a
   * script (VALUES data ends at the next `;` outside strings and brackets, other formats at the end of the line).
   */
  dataEnd?: number;
  /** `FROM INFILE 'file' [COMPRESSION 'x']` */
  infile?: string;
  compression?: string;
  settings?: SettingsMap;
}

export interface UseStatement {
  kind: 'use';
  database: string;
}

export interface SetStatement {
  kind: 'set';
  settings: SettingsMap;
}

export interface ShowStatement {
  kind: 'show';
  what:
    | 'DATABASES'
    | 'TABLES'
    | 'STREAMS'
    | 'VIEWS'
    | 'DICTIONARIES'
    | 'CREATE'
    | 'PROCESSLIST'
    | 'SETTINGS'
    | 'FUNCTIONS'
    | 'COLUMNS'
    | 'ENGINES'
    | 'USERS'
    | 'GRANTS'
    | 'INDEX';
  /** SHOW TABLES FROM db / SHOW COLUMNS FROM t */
  from?: QualifiedName;
  like?: string;
  notLike?: boolean;
  ilike?: boolean;
  /** `SHOW TABLES … WHERE expr` */
  where?: Expr;
  limit?: Expr;
  /** SHOW CREATE [TABLE|STREAM|VIEW|DATABASE|DICTIONARY] name */
  createKind?: ObjectKind;
  target?: QualifiedName;
  full?: boolean;
  format?: string;
}

export interface DescribeStatement {
  kind: 'describe';
  from: FromItem;
  format?: string;
  settings?: SettingsMap;
}

export interface ExistsStatement {
  kind: 'exists';
  objectKind?: ObjectKind;
  target: QualifiedName;
  temporary?: boolean;
  format?: string;
}

export interface KillQueryStatement {
  kind: 'kill_query';
  where: Expr;
  mode?: 'SYNC' | 'ASYNC' | 'TEST';
  format?: string;
}

export interface OptimizeStatement {
  kind: 'optimize';
  target: QualifiedName;
  final: boolean;
  deduplicate: boolean;
  partition?: Expr;
}

export interface ExplainStatement {
  kind: 'explain';
  explainKind: 'AST' | 'SYNTAX' | 'PLAN' | 'PIPELINE' | 'ESTIMATE' | 'QUERY TREE';
  options?: SettingsMap;
  statement: Statement;
  format?: string;
}

/** `SYSTEM …` commands, `BEGIN`/`COMMIT`, `CHECK TABLE`, kept as text. */
export interface SystemStatement {
  kind: 'system';
  command: string;
}

/** Proton's `RECOVER FROM 'query_id'`: re-runs a SUBSCRIBE query from its last checkpoint. */
export interface RecoverStatement {
  kind: 'recover';
  queryId: string;
}

/** Proton's `UNSUBSCRIBE TO 'query_id'`: deletes a SUBSCRIBE query's checkpoint. */
export interface UnsubscribeStatement {
  kind: 'unsubscribe';
  queryId: string;
}

export type Statement =
  | Query
  | InsertStatement
  | CreateDatabaseStatement
  | CreateTableStatement
  | CreateViewStatement
  | CreateFunctionStatement
  | DropStatement
  | TruncateStatement
  | RenameStatement
  | AlterStatement
  | DeleteStatement
  | UseStatement
  | SetStatement
  | ShowStatement
  | DescribeStatement
  | ExistsStatement
  | KillQueryStatement
  | OptimizeStatement
  | ExplainStatement
  | RecoverStatement
  | UnsubscribeStatement
  | SystemStatement;
