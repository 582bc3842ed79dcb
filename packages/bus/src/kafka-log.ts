import type { Logger } from '@linktrack/telemetry';
import { type LogEntry, logLevel } from 'kafkajs';

/**
 * kafkajs logs into our structured logger, tagged with a stable event name.
 * Two kinds of its messages are lowered to debug, because they are expected:
 * - one failed response on a connection (kafkajs logs each at error level and
 *   then retries; a call that finally fails reaches our code and is logged there),
 *   such as "The coordinator is loading" on a fresh broker;
 * - the warning about limited retries on the idempotent producer: the producer
 *   fails fast on purpose, so the redirect spools instead of waiting, and
 *   replayed copies are collapsed in ClickHouse.
 */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const fields = { event: 'kafka_client_log', namespace, ...extra };
      if (isExpected(namespace, message)) logger.debug(fields, message);
      else if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.debug(fields, message);
      else logger.trace(fields, message);
    };
}

function isExpected(namespace: string, message: string): boolean {
  if (namespace === 'Connection' && message.startsWith('Response ')) return true;
  return message.startsWith('Limiting retries for the idempotent producer');
}
