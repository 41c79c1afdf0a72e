import pino from 'pino';

/** Log of the Kafka external streams (bad messages, broker trouble): one line per event, rate-limited by callers. */
export const externalLog = pino({ name: 'kafka', level: process.env['HADRON_LOG_LEVEL'] ?? 'info' });
