import { startAttributionRepair, startCapWatcher, startSink } from '@linktrack/sink';
import { defineService } from './service-definition.js';

/**
 * Writes every stored stream to ClickHouse in batches, enforces links' caps on
 * human clicks, and repairs attribution rows that concurrent inserts left out.
 */
export const sinkService = defineService({
  name: 'sink',
  phase: 'consumer',
  needs: ['store', 'bus', 'schemas'],
  async start(ctx) {
    const sink = await startSink({
      bus: ctx.use('bus'),
      insert: ctx.use('store').insertTsv,
      codecs: ctx.codecs,
      schemas: ctx.use('schemas'),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    const caps = await startCapWatcher({
      bus: ctx.use('bus'),
      client: ctx.use('store').client,
      codec: ctx.codecs.linkEvent,
      logger: ctx.logger,
    });
    const repair = startAttributionRepair({ client: ctx.use('store').client, logger: ctx.logger });
    return {
      stop: async () => {
        await repair.stop();
        await caps.stop();
        await sink.stop();
      },
    };
  },
});
