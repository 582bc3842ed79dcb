import { randomUUID } from 'node:crypto';
import { inject, it } from 'vitest';

/**
 * The broker chosen by kafka-global-setup. Without one, Kafka tests skip with
 * the reason, or fail under CI=true, where a missing broker is a broken build.
 */
export function kafkaBrokers(): string | null {
  return inject('kafkaBrokers');
}

export const kafkaIt: typeof it = ((name: string, fn: () => Promise<void>, timeout?: number) => {
  const brokers = inject('kafkaBrokers');
  if (brokers) return it(name, fn, timeout);
  const reason = inject('kafkaUnavailable') ?? 'no Kafka broker';
  if (process.env.CI === 'true')
    return it(name, () => {
      throw new Error(reason);
    });
  return it.skip(`${name} (skipped: ${reason})`, fn);
}) as typeof it;

/** A topic prefix of its own for each test, so tests never see each other's messages. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}.`;
}
