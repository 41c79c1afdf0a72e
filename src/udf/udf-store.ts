import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../catalog/atomic-file.js';
import { DbError } from '../errors/index.js';
import type { FunctionLookup } from '../analyzer/function-lookup.js';
import type { AggregateFunctionDescriptor, ScalarFunction } from '../functions/function.js';
import type { FunctionListing } from '../functions/registry.js';
import { COMBINATORS } from '../functions/aggregate/combinators.js';
import { JsSandbox } from './js-sandbox.js';
import { jsAggregateFunction } from './js-aggregate-function.js';
import { jsScalarFunction } from './js-scalar-function.js';
import { sqlFunction } from './sql-function.js';
import { remoteFunction } from './remote-function.js';
import { createQueryOf, definitionJson, definitionKey, type UdfDefinition } from './udf-definition.js';
import { DEFAULT_UDF_TIMEOUT_MS, jsRuntime } from './udf-runtime.js';

/** Default heap limit of the JavaScript sandbox; `HADRON_JAVASCRIPT_MAX_MEMORY_MB` overrides it. */
export const DEFAULT_JS_MAX_MEMORY_MB = 128;

interface Compiled {
  readonly definition: UdfDefinition;
  scalar?: ScalarFunction;
  aggregate?: AggregateFunctionDescriptor;
}

interface PersistedUdf {
  readonly function: Record<string, unknown>;
  readonly hadron: UdfDefinition;
}

function fileName(name: string): string {
  return `${encodeURIComponent(name)}.json`;
}

/**
 * The user-defined functions of one server: definitions persisted one JSON file each under
 * `<data>/user_defined/` (written atomically; Proton's UDF JSON under `function`), resolved by the engine's
 * function lookup after the built-in functions, and listed in system.functions with origin
 * 'SQLUserDefined' (SQL lambdas) or 'ExecutableUserDefined' (JavaScript).
 */
export class UserDefinedFunctions {
  private readonly byName = new Map<string, Compiled>();
  readonly sandbox: JsSandbox;

  constructor(
    readonly dir: string,
    /** The engine's whole function lookup (SQL functions compile their bodies against it). */
    private readonly lookup: () => FunctionLookup,
    /** True when a built-in function has this name (user functions may not shadow them). */
    private readonly isBuiltin: (name: string) => boolean,
  ) {
    const env = Number(process.env['HADRON_JAVASCRIPT_MAX_MEMORY_MB']);
    this.sandbox = new JsSandbox({ maxMemoryMb: Number.isFinite(env) && env >= 16 ? env : DEFAULT_JS_MAX_MEMORY_MB });
  }

  async load(): Promise<void> {
    let files: string[];
    try {
      files = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const f of files) {
      if (!f.endsWith('.json') || f.includes('.tmp-')) continue;
      const p = JSON.parse(await fs.readFile(path.join(this.dir, f), 'utf8')) as PersistedUdf;
      if (p.hadron?.name) this.byName.set(p.hadron.name, { definition: p.hadron });
    }
  }

  async close(): Promise<void> {
    await this.sandbox.close();
  }

  get(name: string): UdfDefinition | undefined {
    return this.byName.get(name)?.definition;
  }

  definitions(): UdfDefinition[] {
    return [...this.byName.values()].map((c) => c.definition).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  scalar(name: string): ScalarFunction | undefined {
    const c = this.byName.get(name);
    if (!c || c.definition.isAggregation) return undefined;
    if (!c.scalar) {
      const d = c.definition;
      c.scalar = d.type === 'sql' ? sqlFunction(d, this.lookup) : d.type === 'remote' ? remoteFunction(d, this.sandbox) : jsScalarFunction(jsRuntime(d, this.sandbox));
    }
    return c.scalar;
  }

  aggregate(name: string): AggregateFunctionDescriptor | undefined {
    const c = this.byName.get(name);
    if (!c) return this.combined(name);
    if (!c.definition.isAggregation) return undefined;
    if (!c.aggregate) c.aggregate = jsAggregateFunction(jsRuntime(c.definition, this.sandbox));
    return c.aggregate;
  }

  /** A UDA with combinators (`fIf`, `f_distinct`, `fOrNull`, `fArray`, `fForEach`): not -State/-Merge, whose states travel by name. */
  private combined(name: string): AggregateFunctionDescriptor | undefined {
    for (const c of COMBINATORS) {
      if (c.name === 'State' || c.name === 'SimpleState' || c.name === 'Merge') continue;
      for (const suffix of c.suffixes) {
        if (name.length <= suffix.length || !name.endsWith(suffix)) continue;
        const base = this.aggregate(name.slice(0, name.length - suffix.length));
        if (base) return c.wrap(base, name);
      }
    }
    return undefined;
  }

  /**
   * Creates (or with `orReplace` replaces) a function. JavaScript sources are compiled and checked in the
   * sandbox first (UDF_COMPILE_ERROR for a syntax error, a missing function or UDA member).
   */
  async create(def: UdfDefinition, options: { orReplace: boolean; ifNotExists: boolean }): Promise<void> {
    if (this.isBuiltin(def.name)) throw new DbError('FUNCTION_ALREADY_EXISTS', `The function '${def.name}' already exists: it is a built-in function`);
    const existing = this.byName.get(def.name);
    if (existing) {
      if (options.ifNotExists) return;
      if (!options.orReplace) throw new DbError('FUNCTION_ALREADY_EXISTS', `The function '${def.name}' already exists`);
    }
    let checked = def;
    if (def.type === 'javascript') {
      const info = this.sandbox.call(
        { key: definitionKey(def), name: def.name, source: def.source, aggregate: def.isAggregation },
        { op: 'validate', aggregate: def.isAggregation },
        DEFAULT_UDF_TIMEOUT_MS,
      ) as { customEmit?: boolean } | null;
      checked = { ...def, customEmit: info?.customEmit === true };
    } else if (def.type === 'sql') {
      sqlFunction(def, this.lookup);
    }
    const persisted: PersistedUdf = { function: definitionJson(checked), hadron: checked };
    await writeFileAtomic(path.join(this.dir, fileName(def.name)), JSON.stringify(persisted, null, 2));
    if (existing && existing.definition.type === 'javascript') this.sandbox.forgetDefinition(definitionKey(existing.definition));
    this.byName.set(def.name, { definition: checked });
  }

  async drop(name: string, ifExists: boolean): Promise<void> {
    const existing = this.byName.get(name);
    if (!existing) {
      if (ifExists) return;
      throw new DbError('UNKNOWN_FUNCTION', `User-defined function '${name}' doesn't exist`);
    }
    await fs.rm(path.join(this.dir, fileName(name)), { force: true });
    this.byName.delete(name);
    if (existing.definition.type === 'javascript') this.sandbox.forgetDefinition(definitionKey(existing.definition));
  }

  /** Rows for system.functions. */
  listing(): FunctionListing[] {
    return this.definitions().map((d) => ({
      name: d.name,
      isAggregate: d.isAggregation,
      isWindow: false,
      caseInsensitive: false,
      aliasTo: '',
      category: 'User-defined',
      description: d.type === 'sql' ? 'SQL user-defined function' : d.type === 'remote' ? `Remote user-defined function (${d.remote?.url ?? ''})` : `JavaScript user-defined ${d.isAggregation ? 'aggregate ' : ''}function`,
      syntax: '',
      arguments: d.arguments.map((a) => (a.type ? `${a.name} ${a.type}` : a.name)).join(', '),
      returnedValue: d.returnType,
      examples: '',
      origin: d.type === 'sql' ? 'SQLUserDefined' : 'ExecutableUserDefined',
      createQuery: createQueryOf(d),
    }));
  }
}

const byCatalog = new WeakMap<object, UserDefinedFunctions>();

/** Attaches a server's user-defined functions to its catalog (the interpreters reach them through it). */
export function attachUserDefinedFunctions(catalog: object, udfs: UserDefinedFunctions): void {
  byCatalog.set(catalog, udfs);
}

export function userDefinedFunctionsOf(catalog: object): UserDefinedFunctions {
  const u = byCatalog.get(catalog);
  if (!u) throw new DbError('LOGICAL_ERROR', 'User-defined functions are not set up for this server');
  return u;
}
