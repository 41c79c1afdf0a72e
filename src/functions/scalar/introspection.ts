import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { materialize } from '../../columns/ops.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, dateTimeType, T } from '../../types/data-type.js';
import type { ArgumentInfo, ExecuteContext, FunctionContext, ResolvedFunction, ScalarFunction } from '../function.js';
import type { SpecialScalarFunction } from '../registry.js';
import { checkArgCount, constString, illegalType } from '../core/args.js';
import { conditionMask } from '../aggregate/combinators.js';

const CATEGORY = 'Other';

function constText(rows: number, s: string): Column {
  const b = new StringBuilder(1);
  b.pushString(s);
  return new ConstColumn(b.build(), rows);
}

/** A function whose value comes from the query context and is constant within a query. */
function contextString(name: string, description: string, get: (ctx: FunctionContext) => string, aliases: string[] = [], caseInsensitive = false): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}()`,
    resolve(args, ctx) {
      checkArgCount(name, args, 0);
      const v = get(ctx);
      return { returnType: T.String, execute: (_c, rows) => constText(rows, v) };
    },
  };
}

const uptime: ScalarFunction = {
  name: 'uptime',
  nonDeterministic: true,
  category: CATEGORY,
  description: 'Seconds since the server started',
  syntax: 'uptime()',
  resolve(args) {
    checkArgCount('uptime', args, 0);
    return {
      returnType: T.UInt32,
      execute: (_c, rows, ctx) => new ConstColumn(new NumericColumn(Uint32Array.of(Math.max(0, Math.floor((ctx.queryStartMs - ctx.server.startTimeMs) / 1000)))), rows),
    };
  },
};

const revision: ScalarFunction = {
  name: 'revision',
  category: CATEGORY,
  description: 'The server revision number',
  syntax: 'revision()',
  resolve(args, ctx) {
    checkArgCount('revision', args, 0);
    const r = ctx.server.revision;
    return { returnType: T.UInt32, execute: (_c, rows) => new ConstColumn(new NumericColumn(Uint32Array.of(r)), rows) };
  },
};

const getSetting: ScalarFunction = {
  name: 'getSetting',
  category: CATEGORY,
  description: 'The current value of a setting, as text',
  syntax: "getSetting('name')",
  resolve(args, ctx) {
    checkArgCount('getSetting', args, 1);
    const name = constString('getSetting', args, 0);
    const v = ctx.settings.get(name);
    if (v === undefined) throw new DbError('UNKNOWN_SETTING', `Unknown setting ${name}`);
    return { returnType: T.String, execute: (_c, rows) => constText(rows, v) };
  },
};

function identityLike(name: string, description: string, handlesNulls = true): ScalarFunction {
  return {
    name,
    handlesNulls,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      return {
        returnType: args[0]!.type,
        execute: (cols) => (name === 'materialize' ? materialize(cols[0]!) : cols[0]!),
      };
    },
  };
}

const isConstant: ScalarFunction = {
  name: 'isConstant',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Returns 1 when the argument is a constant expression',
  syntax: 'isConstant(x)',
  resolve(args) {
    checkArgCount('isConstant', args, 1);
    const c = args[0]!.constant ? 1 : 0;
    return { returnType: T.UInt8, execute: (cols, rows) => new ConstColumn(new NumericColumn(Uint8Array.of(cols[0]!.kind === 'const' || c ? 1 : 0)), rows) };
  },
};

const ignore: ScalarFunction = {
  name: 'ignore',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Accepts any arguments and returns 0',
  syntax: 'ignore(x, …)',
  resolve() {
    return { returnType: T.UInt8, execute: (_c, rows) => new ConstColumn(new NumericColumn(new Uint8Array(1)), rows) };
  },
};

const blockSize: ScalarFunction = {
  name: 'blockSize',
  nonDeterministic: true,
  category: CATEGORY,
  description: 'Number of rows in the current block',
  syntax: 'blockSize()',
  resolve(args) {
    checkArgCount('blockSize', args, 0);
    return { returnType: T.UInt64, execute: (_c, rows) => new ConstColumn(new NumericColumn(BigUint64Array.of(BigInt(rows))), rows) };
  },
};

const rowNumberInBlock: ScalarFunction = {
  name: 'rowNumberInBlock',
  nonDeterministic: true,
  category: CATEGORY,
  description: 'The 0-based row number within the current block',
  syntax: 'rowNumberInBlock()',
  resolve(args) {
    checkArgCount('rowNumberInBlock', args, 0);
    return {
      returnType: T.UInt64,
      execute(_c, rows) {
        const out = new BigUint64Array(rows);
        const w = new Uint32Array(out.buffer);
        for (let i = 0; i < rows; i++) w[2 * i] = i;
        return new NumericColumn(out);
      },
    };
  },
};

/** rowNumberInAllBlocks / runningDifference keep state across blocks: per resolved instance. */
const rowNumberInAllBlocks: ScalarFunction = {
  name: 'rowNumberInAllBlocks',
  nonDeterministic: true,
  category: CATEGORY,
  description: 'The 0-based row number across all blocks of the query',
  syntax: 'rowNumberInAllBlocks()',
  resolve(args) {
    checkArgCount('rowNumberInAllBlocks', args, 0);
    let next = 0;
    return {
      returnType: T.UInt64,
      execute(_c, rows) {
        const out = new BigUint64Array(rows);
        for (let i = 0; i < rows; i++) out[i] = BigInt(next++);
        return new NumericColumn(out);
      },
    };
  },
};

const dumpColumnStructure: ScalarFunction = {
  name: 'dumpColumnStructure',
  handlesNulls: true,
  category: CATEGORY,
  description: 'The type and physical column layout of the argument',
  syntax: 'dumpColumnStructure(x)',
  resolve(args) {
    checkArgCount('dumpColumnStructure', args, 1);
    const t = args[0]!.type;
    return { returnType: T.String, execute: (cols, rows) => constText(rows, `${t.name}, ${describeColumn(cols[0]!, rows)}`) };
  },
};

function describeColumn(c: Column, rows: number): string {
  switch (c.kind) {
    case 'const':
      return `Const(size = ${rows}, ${describeColumn(c.inner, 1)})`;
    case 'nullable':
      return `Nullable(size = ${rows}, ${describeColumn(c.inner, rows)}, UInt8(size = ${rows}))`;
    case 'array':
      return `Array(size = ${rows}, UInt64(size = ${rows}), ${describeColumn(c.inner, c.inner.length)})`;
    case 'tuple':
      return `Tuple(size = ${rows}, ${c.columns.map((x) => describeColumn(x, rows)).join(', ')})`;
    case 'numeric':
      return `${c.data.constructor.name.replace('Array', '')}(size = ${rows})`;
    default:
      return `${c.kind[0]!.toUpperCase()}${c.kind.slice(1)}(size = ${rows})`;
  }
}

const throwIf: ScalarFunction = {
  name: 'throwIf',
  category: CATEGORY,
  description: 'Throws an exception when the argument is non-zero',
  syntax: "throwIf(x[, 'message'])",
  resolve(args) {
    checkArgCount('throwIf', args, 1, 2);
    const message = args.length > 1 ? constString('throwIf', args, 1) : 'Value passed to \'throwIf\' function is non-zero';
    return {
      returnType: T.UInt8,
      execute(cols, rows) {
        const m = conditionMask(cols[0]!, rows);
        if (m === true || (m !== false && m.some((x) => x !== 0))) throw new DbError('FUNCTION_THROW_IF_VALUE_IS_NON_ZERO', message);
        return new ConstColumn(new NumericColumn(new Uint8Array(1)), rows);
      },
    };
  },
};

function sleepFunction(name: 'sleep' | 'sleepEachRow'): ScalarFunction {
  return {
    name,
    nonDeterministic: true,
    category: CATEGORY,
    description: name === 'sleep' ? 'Sleeps for x seconds (at most 3) once per block' : 'Sleeps for x seconds on each row (at most 3 in total per block)',
    syntax: `${name}(seconds)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      const secs = Number(args[0]!.constant?.value ?? NaN);
      if (!(secs >= 0)) throw new DbError('ILLEGAL_COLUMN', `The argument of function ${name} must be constant`);
      if (secs > 3) throw new DbError('TOO_SLOW', `The maximum sleep time is 3 seconds. Requested: ${secs}`);
      return {
        returnType: T.UInt8,
        execute(_c, rows) {
          const total = Math.min(3, name === 'sleep' ? secs : secs * rows) * 1000;
          if (total > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, total);
          return new ConstColumn(new NumericColumn(new Uint8Array(1)), rows);
        },
      };
    },
  };
}

/** arrayJoin: the engine replicates rows (ARRAY JOIN); resolving gives the element type. */
const arrayJoin: SpecialScalarFunction = {
  name: 'arrayJoin',
  special: 'arrayJoin',
  category: 'Arrays',
  description: 'Unfolds an array into one row per element (the engine replicates the other columns)',
  syntax: 'arrayJoin(arr)',
  resolve(args): ResolvedFunction {
    checkArgCount('arrayJoin', args, 1);
    const t = args[0]!.type;
    if (t.kind !== 'Array' && t.kind !== 'Map') throw illegalType('arrayJoin', t);
    const rt: DataType = t.kind === 'Array' ? t.element : ({ kind: 'Tuple', name: `Tuple(${t.key.name}, ${t.value.name})`, elements: [t.key, t.value] } as DataType);
    return {
      returnType: rt,
      execute() {
        throw new DbError('LOGICAL_ERROR', 'arrayJoin is executed by the engine (row replication), not as a scalar function');
      },
    };
  },
};

/** `in` and friends: the engine builds the set; these descriptors exist for lookup and docs. */
function inMarker(name: string, description: string): SpecialScalarFunction {
  return {
    name,
    special: 'in',
    handlesNulls: true,
    category: 'IN',
    description,
    syntax: `${name}(x, set)`,
    resolve(args: readonly ArgumentInfo[]) {
      checkArgCount(name, args, 2);
      return {
        returnType: T.UInt8,
        execute() {
          throw new DbError('LOGICAL_ERROR', `${name} is executed by the engine's set lookup`);
        },
      };
    },
  };
}

function globalVariable(): ScalarFunction {
  return {
    name: 'globalVariable',
    category: CATEGORY,
    description: "A MySQL-compatibility global variable ('max_allowed_packet', 'version' …)",
    syntax: "globalVariable('name')",
    resolve(args, ctx) {
      checkArgCount('globalVariable', args, 1);
      const name = constString('globalVariable', args, 0).toLowerCase();
      const known: Record<string, string> = { max_allowed_packet: '67108864', version: ctx.server.version, version_comment: 'Hadron' };
      const v = known[name];
      if (v === undefined) throw new DbError('BAD_ARGUMENTS', `There is no global variable with name ${name}`);
      if (name === 'max_allowed_packet') return { returnType: T.Int64, execute: (_c, rows) => new ConstColumn(new NumericColumn(BigInt64Array.of(BigInt(v))), rows) };
      return { returnType: T.String, execute: (_c, rows) => constText(rows, v) };
    },
  };
}

export const introspectionFunctions: ScalarFunction[] = [
  contextString('version', 'The server version', (c) => c.server.version, ['VERSION'], true),
  contextString('timezone', "The session's timezone", (c) => c.timezone, ['timeZone'], true),
  contextString('serverTimezone', "The server's timezone", (c) => c.server.serverTimezone, ['serverTimeZone']),
  contextString('currentUser', 'The user running the query', (c) => c.currentUser, ['user', 'current_user', 'USER'], true),
  contextString('currentDatabase', 'The current database', (c) => c.currentDatabase, ['database', 'DATABASE', 'current_database', 'schema', 'SCHEMA'], true),
  contextString('displayName', 'The server display name', (c) => c.server.displayName),
  contextString('hostName', 'The host name of the server', (c) => c.server.hostName, ['hostname', 'HOSTNAME'], true),
  contextString('fqdn', 'The fully qualified domain name of the server', (c) => c.server.hostName, ['FQDN', 'fullHostName'], true),
  contextString('queryID', 'The id of the current query (empty when unknown)', (c) => c.settings.get('query_id') ?? '', ['query_id']),
  uptime,
  revision,
  getSetting,
  globalVariable(),
  identityLike('materialize', 'Turns a constant into a full column'),
  identityLike('identity', 'Returns its argument unchanged (prevents some optimisations)'),
  identityLike('toLowCardinality', 'The value as LowCardinality (stored materialised in Hadron)'),
  isConstant,
  ignore,
  blockSize,
  rowNumberInBlock,
  rowNumberInAllBlocks,
  dumpColumnStructure,
  throwIf,
  sleepFunction('sleep'),
  sleepFunction('sleepEachRow'),
  arrayJoin,
  inMarker('in', 'Returns 1 when x is in the set (x IN (…) / x IN subquery)'),
  inMarker('notIn', 'Returns 1 when x is not in the set'),
  inMarker('globalIn', 'IN over a distributed set (same as in)'),
  inMarker('globalNotIn', 'NOT IN over a distributed set (same as notIn)'),
  inMarker('nullIn', 'IN where NULL equals NULL'),
  inMarker('notNullIn', 'NOT IN where NULL equals NULL'),
];

export { arrayType, dateTimeType };
export type { ExecuteContext };
