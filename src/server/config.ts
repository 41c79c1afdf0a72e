import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DbError } from '../errors/index.js';
import type { UserConfig } from './engine.js';

/** Server configuration. Precedence: command-line flags > HADRON_* environment > YAML config file > defaults. */
export interface ServerConfig {
  dataDir: string;
  listenHost: string;
  httpPort: number;
  tcpPort: number;
  mysqlPort: number;
  postgresPort: number;
  restPort: number;
  timezone?: string;
  displayName?: string;
  logLevel: string;
  users: UserConfig[];
}

export const DEFAULT_CONFIG: ServerConfig = {
  dataDir: './hadron-data',
  listenHost: '127.0.0.1',
  httpPort: 8123,
  tcpPort: 9000,
  mysqlPort: 9004,
  postgresPort: 9005,
  restPort: 3218,
  logLevel: 'info',
  users: [{ name: 'default' }],
};

/** Flag / env / YAML key → config field. */
const KEYS: Record<string, keyof ServerConfig> = {
  'data-dir': 'dataDir',
  'listen-host': 'listenHost',
  'http-port': 'httpPort',
  'tcp-port': 'tcpPort',
  'mysql-port': 'mysqlPort',
  'postgres-port': 'postgresPort',
  'rest-port': 'restPort',
  timezone: 'timezone',
  'display-name': 'displayName',
  'log-level': 'logLevel',
};

const NUMERIC = new Set<keyof ServerConfig>(['httpPort', 'tcpPort', 'mysqlPort', 'postgresPort', 'restPort']);

function assign(cfg: ServerConfig, key: keyof ServerConfig, raw: unknown, source: string): void {
  if (NUMERIC.has(key)) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new DbError('INVALID_CONFIG_PARAMETER', `${source}: ${String(raw)} is not a port number`);
    (cfg as unknown as Record<string, unknown>)[key] = n;
  } else (cfg as unknown as Record<string, unknown>)[key] = String(raw);
}

export function parseArgs(argv: readonly string[]): { command: string; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  let command = 'server';
  let i = 0;
  if (argv[0] && !argv[0].startsWith('-')) command = argv[i++]!;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new DbError('BAD_ARGUMENTS', `Unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (a === '--help' || a === '--version') flags.set(a.slice(2), '1');
    else flags.set(a.slice(2), argv[++i] ?? '');
  }
  return { command, flags };
}

export function loadConfig(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const cfg: ServerConfig = { ...DEFAULT_CONFIG, users: [...DEFAULT_CONFIG.users] };
  const file = flags.get('config') ?? env['HADRON_CONFIG'];
  if (file) {
    const doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(doc)) {
      const key = KEYS[k] ?? KEYS[k.replace(/_/g, '-')];
      if (key) assign(cfg, key, v, `${file}: ${k}`);
      else if (k === 'users' && v && typeof v === 'object') cfg.users = parseUsers(v as Record<string, unknown>);
      else throw new DbError('UNKNOWN_ELEMENT_IN_CONFIG', `${file}: unknown key ${k}`);
    }
    if (!path.isAbsolute(cfg.dataDir)) cfg.dataDir = path.resolve(path.dirname(file), cfg.dataDir);
  }
  for (const [flag, key] of Object.entries(KEYS)) {
    const e = env[`HADRON_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (e !== undefined && e !== '') assign(cfg, key, e, `HADRON_${flag.toUpperCase().replace(/-/g, '_')}`);
  }
  for (const [flag, value] of flags) {
    if (flag === 'config' || flag === 'help' || flag === 'version') continue;
    const key = KEYS[flag];
    if (!key) throw new DbError('BAD_ARGUMENTS', `Unknown option --${flag}`);
    assign(cfg, key, value, `--${flag}`);
  }
  return cfg;
}

/** `users: { alice: { password_sha256_hex: …, default_database: … }, default: {} }` */
function parseUsers(v: Record<string, unknown>): UserConfig[] {
  return Object.entries(v).map(([name, u]) => {
    const o = (u ?? {}) as Record<string, unknown>;
    return {
      name,
      passwordSha256Hex: o['password_sha256_hex'] !== undefined ? String(o['password_sha256_hex']) : undefined,
      password: o['password'] !== undefined ? String(o['password']) : undefined,
      defaultDatabase: o['default_database'] !== undefined ? String(o['default_database']) : undefined,
    };
  });
}
