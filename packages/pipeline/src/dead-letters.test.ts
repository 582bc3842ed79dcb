import { type ConsumedMessage, InProcessBus } from '@linktrack/bus';
import { createCodecs, TOPICS } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { createDeadLetters } from './dead-letters.js';

describe('dead letters', () => {
  it('publishes each failure to the dlq topic with its stage, reason, source and original bytes', async () => {
    const bus = new InProcessBus({ logger: createLogger('silent') });
    const { deadLetter } = createCodecs();
    const send = createDeadLetters({
      bus,
      codec: deadLetter,
      logger: createLogger('silent'),
      service: 'sink',
    });
    const source: ConsumedMessage = {
      key: Buffer.from('k'),
      value: Buffer.from('not avro'),
      topic: TOPICS.clicksEnriched,
      partition: 3,
      offset: '41',
      timestamp: 0,
    };
    const seen: Buffer[] = [];
    await bus.subscribe(
      TOPICS.dlq,
      'reader',
      async (batch) => void seen.push(...batch.messages.map((m) => m.value)),
    );
    await send([{ source, step: 'decode', reason: 'undecodable', error: new Error('bad header') }]);
    await bus.idle();
    expect(seen.map((v) => deadLetter.decode(v))).toEqual([
      {
        ts: expect.any(Number),
        stage: 'sink.decode',
        reason: 'undecodable',
        error: 'bad header',
        source_topic: TOPICS.clicksEnriched,
        source_partition: 3,
        source_offset: '41',
        payload: Buffer.from('not avro'),
      },
    ]);
    await bus.close();
  });
});
