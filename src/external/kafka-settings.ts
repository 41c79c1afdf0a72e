import { DbError } from '../errors/index.js';
import type { Header } from '../core/block.js';

/**
 * The SETTINGS of `CREATE EXTERNAL STREAM e (…) SETTINGS type='kafka', …` (Proton's names), checked once at
 * CREATE and again when the server loads the stream.
 */
export type KafkaDataFormat = 'JSONEachRow' | 'CSV' | 'TSV' | 'RawBLOB';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly dataFormat: KafkaDataFormat;
  /** Writes: one Kafka message per row (else rows are packed into messages of up to maxMessageBytes). */
  readonly oneMessagePerRow: boolean;
  /** Writes: an expression over the row giving the message key. */
  readonly messageKey?: string;
  /** Writes: an expression over the row; its value modulo the partition count picks the partition. */
  readonly shardingExpr?: string;
  readonly securityProtocol: 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SASL_SSL' | 'SSL';
  readonly saslMechanism?: SaslMechanism;
  readonly username?: string;
  readonly password?: string;
  /** Client settings from `properties='k=v;k=v'` that Hadron applies (librdkafka names). */
  readonly clientId: string;
  readonly lingerMs: number;
  readonly maxMessageBytes: number;
  readonly fetchMaxBytes: number;
  readonly partitionFetchMaxBytes: number;
  readonly fetchWaitMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly compression?: 'gzip' | 'snappy' | 'lz4';
  /** acks for writes: -1 (all in-sync replicas) unless `properties` says otherwise. */
  readonly acks: number;
  readonly sslRejectUnauthorized: boolean;
}

const KNOWN = new Set([
  'type', 'brokers', 'topic', 'data_format', 'format_schema', 'one_message_per_row', 'message_key', 'sharding_expr',
  'security_protocol', 'sasl_mechanism', 'username', 'password', 'properties', 'skip_ssl_cert_check', 'kafka_schema_registry_url',
]);

/** librdkafka properties Hadron understands; others are rejected so a typo does not pass silently. */
const PROPERTY_NAMES = new Set([
  'client.id', 'linger.ms', 'queue.buffering.max.ms', 'message.max.bytes', 'fetch.max.bytes', 'max.partition.fetch.bytes',
  'fetch.wait.max.ms', 'request.timeout.ms', 'socket.timeout.ms', 'compression.codec', 'compression.type', 'acks',
  'request.required.acks', 'enable.ssl.certificate.verification', 'batch.num.messages', 'queue.buffering.max.messages',
  'enable.idempotence', 'group.id', 'auto.offset.reset', 'enable.auto.commit', 'statistics.interval.ms', 'topic.metadata.refresh.interval.ms',
]);

function bool(v: string | undefined, name: string, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new DbError('INVALID_SETTING_VALUE', `Invalid value '${v}' for external stream setting ${name}: expected true or false`);
}

function int(v: string | undefined, name: string, fallback: number, min = 0): number {
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < min) throw new DbError('INVALID_SETTING_VALUE', `Invalid value '${v}' for Kafka property ${name}: expected an integer >= ${min}`);
  return n;
}

/** `properties='k=v;k=v'` → map (values may not contain ';'). */
export function parseProperties(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (text ?? '').split(';')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new DbError('INVALID_SETTING_VALUE', `Invalid Kafka property '${part.trim()}': expected key=value`);
    const key = part.slice(0, eq).trim();
    if (!PROPERTY_NAMES.has(key)) throw new DbError('INVALID_SETTING_VALUE', `Unsupported Kafka property '${key}' (supported: ${[...PROPERTY_NAMES].join(', ')})`);
    out.set(key, part.slice(eq + 1).trim());
  }
  return out;
}

/** The default data format: RawBLOB for a single string column, JSONEachRow otherwise (as in Proton). */
function defaultFormat(userColumns: Header): KafkaDataFormat {
  const only = userColumns.length === 1 ? userColumns[0]!.type : undefined;
  const kind = only?.kind === 'LowCardinality' ? only.inner.kind : only?.kind;
  return kind === 'String' ? 'RawBLOB' : 'JSONEachRow';
}

export function parseKafkaSettings(settings: Readonly<Record<string, string>>, userColumns: Header): KafkaSettings {
  const type = (settings['type'] ?? '').trim().toLowerCase();
  if (!type) throw new DbError('BAD_ARGUMENTS', "An external stream needs SETTINGS type = 'kafka'");
  if (type !== 'kafka' && type !== 'redpanda') throw new DbError('NOT_IMPLEMENTED', `External stream type '${settings['type']}' is not supported (supported: kafka)`);
  for (const k of Object.keys(settings)) {
    if (!KNOWN.has(k)) throw new DbError('UNKNOWN_SETTING', `Unknown external stream setting ${k}`);
  }
  const brokers = (settings['brokers'] ?? '').split(',').map((b) => b.replace(/\s+/g, '')).filter(Boolean);
  if (!brokers.length) throw new DbError('BAD_ARGUMENTS', "A Kafka external stream needs SETTINGS brokers = 'host:port[,host:port]'");
  for (const b of brokers) {
    if (!/^[^:]+:\d{1,5}$/.test(b)) throw new DbError('BAD_ARGUMENTS', `Invalid Kafka broker address '${b}': expected host:port`);
  }
  const topic = (settings['topic'] ?? '').trim();
  if (!topic) throw new DbError('BAD_ARGUMENTS', "A Kafka external stream needs SETTINGS topic = '…'");
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new DbError('BAD_ARGUMENTS', `Invalid Kafka topic name '${topic}'`);
  const formatText = (settings['data_format'] ?? '').trim();
  let dataFormat: KafkaDataFormat;
  switch (formatText.toLowerCase()) {
    case '':
      dataFormat = defaultFormat(userColumns);
      break;
    case 'jsoneachrow':
      dataFormat = 'JSONEachRow';
      break;
    case 'csv':
      dataFormat = 'CSV';
      break;
    case 'tsv':
    case 'tabseparated':
      dataFormat = 'TSV';
      break;
    case 'rawblob':
      dataFormat = 'RawBLOB';
      break;
    default:
      throw new DbError('UNKNOWN_FORMAT', `Data format '${formatText}' is not supported by Kafka external streams (supported: JSONEachRow, CSV, TSV, RawBLOB)`);
  }
  if (dataFormat === 'RawBLOB' && defaultFormat(userColumns) !== 'RawBLOB') {
    throw new DbError('BAD_ARGUMENTS', 'data_format RawBLOB needs exactly one column of type string');
  }
  const sp = (settings['security_protocol'] ?? 'PLAINTEXT').trim().toUpperCase();
  if (sp !== 'PLAINTEXT' && sp !== 'SASL_PLAINTEXT' && sp !== 'SASL_SSL' && sp !== 'SSL') {
    throw new DbError('INVALID_SETTING_VALUE', `Invalid security_protocol '${settings['security_protocol']}' (PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL)`);
  }
  let saslMechanism: SaslMechanism | undefined;
  if (sp.startsWith('SASL')) {
    const m = (settings['sasl_mechanism'] ?? 'PLAIN').trim().toUpperCase();
    if (m !== 'PLAIN' && m !== 'SCRAM-SHA-256' && m !== 'SCRAM-SHA-512') {
      throw new DbError('INVALID_SETTING_VALUE', `Invalid sasl_mechanism '${settings['sasl_mechanism']}' (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
    }
    saslMechanism = m;
    if (!settings['username'] || settings['password'] === undefined) {
      throw new DbError('BAD_ARGUMENTS', `security_protocol ${sp} needs SETTINGS username and password`);
    }
  }
  const props = parseProperties(settings['properties']);
  const compressionText = (props.get('compression.codec') ?? props.get('compression.type') ?? 'none').toLowerCase();
  if (!['none', 'gzip', 'snappy', 'lz4'].includes(compressionText)) {
    throw new DbError('INVALID_SETTING_VALUE', `Unsupported Kafka compression '${compressionText}' (none, gzip, snappy, lz4)`);
  }
  const acksText = props.get('acks') ?? props.get('request.required.acks') ?? 'all';
  const acks = acksText === 'all' ? -1 : int(acksText, 'acks', -1, -1);
  if (acks !== -1 && acks !== 1 && acks !== 0) throw new DbError('INVALID_SETTING_VALUE', `Invalid Kafka acks '${acksText}' (all, -1, 0, 1)`);
  const messageKey = settings['message_key']?.trim() || undefined;
  return {
    brokers,
    topic,
    dataFormat,
    oneMessagePerRow: bool(settings['one_message_per_row'], 'one_message_per_row', false) || messageKey !== undefined || dataFormat === 'RawBLOB',
    messageKey,
    shardingExpr: settings['sharding_expr']?.trim() || undefined,
    securityProtocol: sp,
    saslMechanism,
    username: settings['username'],
    password: settings['password'],
    clientId: props.get('client.id') ?? 'hadron',
    lingerMs: int(props.get('linger.ms') ?? props.get('queue.buffering.max.ms'), 'linger.ms', 0),
    maxMessageBytes: int(props.get('message.max.bytes'), 'message.max.bytes', 1_000_000, 1000),
    fetchMaxBytes: int(props.get('fetch.max.bytes'), 'fetch.max.bytes', 52_428_800, 1024),
    partitionFetchMaxBytes: int(props.get('max.partition.fetch.bytes'), 'max.partition.fetch.bytes', 4_194_304, 1024),
    fetchWaitMaxMs: int(props.get('fetch.wait.max.ms'), 'fetch.wait.max.ms', 500),
    requestTimeoutMs: int(props.get('request.timeout.ms') ?? props.get('socket.timeout.ms'), 'request.timeout.ms', 30_000, 100),
    compression: compressionText === 'none' ? undefined : (compressionText as 'gzip' | 'snappy' | 'lz4'),
    acks,
    sslRejectUnauthorized: bool(settings['skip_ssl_cert_check'], 'skip_ssl_cert_check', false) ? false : props.get('enable.ssl.certificate.verification') !== 'false',
  };
}
