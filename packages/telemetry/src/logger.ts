import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Every log line carries a stable snake_case `event`
 * name, so dashboards and alerts key on it rather than on message text.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
