import type { ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { Logger } from '@linktrack/telemetry';

type ClientLog = NonNullable<ClickHouseClientConfigOptions['log']>;
interface Params {
  module: string;
  message: string;
  args?: Record<string, unknown>;
  err?: Error;
}

/**
 * Routes @clickhouse/client's own log lines into our structured logger, one
 * level down: the store reports failures itself, with a coded error, so the
 * client's transport chatter is detail, not news.
 */
export function clientLog(logger: Logger): ClientLog {
  const write = (level: 'trace' | 'debug', p: Params) =>
    logger[level]({ event: 'clickhouse_client_log', module: p.module, args: p.args, err: p.err }, p.message);
  class PinoBridge {
    trace(p: Params) {
      write('trace', p);
    }
    debug(p: Params) {
      write('trace', p);
    }
    info(p: Params) {
      write('trace', p);
    }
    warn(p: Params) {
      write('debug', p);
    }
    error(p: Params) {
      write('debug', p);
    }
  }
  return { LoggerClass: PinoBridge };
}
