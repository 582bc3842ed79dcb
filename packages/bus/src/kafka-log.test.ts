import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafka-log.js';

function capture() {
  const lines: { level: number; msg: string; event: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log: kafkaLogCreator(logger)(), lines };
}

describe('kafkajs log bridge', () => {
  it('keeps real errors as errors, with a stable event name', () => {
    const { log, lines } = capture();
    log({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'Failed to send', timestamp: '' },
    });
    expect(lines).toMatchObject([{ level: 50, msg: 'Failed to send', event: 'kafka_client_log' }]);
  });

  it('lowers retried connection responses and the fail-fast producer warning to debug', () => {
    const { log, lines } = capture();
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'Response GroupCoordinator(key: 10, version: 2)', timestamp: '' },
    });
    log({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
        timestamp: '',
      },
    });
    expect(lines.map((l) => l.level)).toEqual([20, 20]);
  });
});
