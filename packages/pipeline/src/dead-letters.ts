import type { Bus, ConsumedMessage } from '@linktrack/bus';
import { type Codec, type DeadLetter, deadLetterFor, TOPICS } from '@linktrack/streams';
import type { Logger } from '@linktrack/telemetry';
import type { Failure } from './pipeline.js';

export interface DeadLettersDeps {
  bus: Bus;
  codec: Codec<DeadLetter>;
  logger: Logger;
  /** Prefixes the step in a dead letter's stage: enricher.decode, sink.decode. */
  service: string;
}

export type DeadLetters = (failures: readonly Failure<ConsumedMessage>[]) => Promise<void>;

/**
 * The one way a consumer gives up on a message: logged, and published with its
 * original bytes to the dlq topic, which the sink stores in
 * linktrack.dead_letters. The caller commits its batch only once this resolved.
 * A dead letter the sink cannot read itself becomes a dead letter once more,
 * which it can: nothing loops.
 */
export function createDeadLetters(deps: DeadLettersDeps): DeadLetters {
  return async (failures) => {
    if (failures.length === 0) return;
    const messages = failures.map(({ source, step, reason, error }) => {
      const stage = `${deps.service}.${step}`;
      deps.logger.warn(
        {
          event: 'message_dead_lettered',
          stage,
          reason,
          topic: source.topic,
          partition: source.partition,
          offset: source.offset,
          err: error,
        },
        'message sent to the dead-letter queue',
      );
      return { key: source.key, value: deps.codec.encode(deadLetterFor(source, stage, reason, error)) };
    });
    await deps.bus.publish(TOPICS.dlq, messages);
  };
}
