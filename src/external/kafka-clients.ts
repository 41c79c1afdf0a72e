import { Consumer, Producer, compatibilityPartitioner, type ConnectionOptions } from '@platformatic/kafka';
import { DbError } from '../errors/index.js';
import type { KafkaSettings } from './kafka-settings.js';

/** Client options shared by producers and consumers: brokers, timeouts, SASL and TLS. */
function baseOptions(s: KafkaSettings, role: string): { clientId: string; bootstrapBrokers: string[]; timeout: number; retries: number; retryDelay: number } & ConnectionOptions {
  const o: { clientId: string; bootstrapBrokers: string[]; timeout: number; retries: number; retryDelay: number } & ConnectionOptions = {
    clientId: `${s.clientId}-${role}`,
    bootstrapBrokers: [...s.brokers],
    timeout: s.requestTimeoutMs,
    connectTimeout: Math.min(s.requestTimeoutMs, 10_000),
    requestTimeout: s.requestTimeoutMs,
    retries: 3,
    retryDelay: 250,
  };
  if (s.saslMechanism) o.sasl = { mechanism: s.saslMechanism, username: s.username, password: s.password };
  if (s.securityProtocol === 'SSL' || s.securityProtocol === 'SASL_SSL') o.tls = { rejectUnauthorized: s.sslRejectUnauthorized };
  return o;
}

let roundRobin = 0;

/** A producer's options without its partitioner: plain data (a worker thread can be given them). */
export function producerOptions(s: KafkaSettings) {
  return { ...baseOptions(s, 'producer'), acks: s.acks, idempotent: false, autocreateTopics: false, compression: s.compression };
}

export function createProducer(s: KafkaSettings): Producer {
  // Keyed messages go where Java clients put them (murmur2 of the key, positive, modulo the partitions).
  return new Producer({ ...producerOptions(s), partitioner: (m, key) => (key ? compatibilityPartitioner(m, key) : (roundRobin = (roundRobin + 1) % 1_000_000_007)) });
}

/** A consumer used only for metadata, offsets and fetches of chosen partitions: it never joins a group. */
export function createConsumer(s: KafkaSettings): Consumer {
  return new Consumer({
    ...baseOptions(s, 'consumer'),
    groupId: `${s.clientId}-unused-group`,
    maxWaitTime: s.fetchWaitMaxMs,
    maxBytes: s.fetchMaxBytes,
    minBytes: 1,
  });
}

/** A Kafka client error as a DbError a client can read. */
export function kafkaError(e: unknown, what: string): DbError {
  if (e instanceof DbError) return e;
  const err = e as { message?: string; errors?: { message?: string }[]; cause?: { message?: string } };
  const detail = [err.message, ...(err.errors ?? []).map((x) => x.message), err.cause?.message].filter(Boolean).join(': ');
  return new DbError('NETWORK_ERROR', `Kafka: ${what}: ${detail || String(e)}`);
}
