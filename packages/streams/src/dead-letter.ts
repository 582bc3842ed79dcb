import type { DeadLetter } from './types.js';

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  value: Buffer;
}

/** A DeadLetter for a message that `stage` gave up on, keeping its original bytes. */
export function deadLetterFor(
  source: DeadLetterSource,
  stage: string,
  reason: string,
  error: Error,
): DeadLetter {
  return {
    ts: Date.now(),
    stage,
    reason,
    error: error.message.slice(0, 2_000),
    source_topic: source.topic,
    source_partition: source.partition,
    source_offset: source.offset,
    payload: source.value,
  };
}
