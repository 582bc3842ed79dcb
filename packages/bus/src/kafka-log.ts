import type { Logger } from '@linktrack/telemetry';
import { type LogEntry, logLevel } from 'kafkajs';

/** kafkajs logs into our structured logger, tagged with a stable event name. */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const fields = { event: 'kafka_client_log', namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.debug(fields, message);
      else logger.trace(fields, message);
    };
}
