import { startCapWatcher, startSink } from '@linktrack/sink';
import { defineService } from './service-definition.js';

/** Writes every stored stream to ClickHouse in batches, and enforces links' caps on human clicks. */
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
    return {
      stop: async () => {
        await caps.stop();
        await sink.stop();
      },
    };
  },
});
