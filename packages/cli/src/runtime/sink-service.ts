import { startSink } from '@linktrack/sink';
import { defineService } from './service-definition.js';

/** Writes enriched clicks, links and dead letters to ClickHouse in batches. */
export const sinkService = defineService({
  name: 'sink',
  phase: 'consumer',
  needs: ['store', 'bus', 'schemas'],
  async start(ctx) {
    const sink = await startSink({
      bus: ctx.use('bus'),
      client: ctx.use('store').client,
      codecs: ctx.codecs,
      schemas: ctx.use('schemas'),
      logger: ctx.logger,
      metrics: ctx.metrics,
    });
    return { stop: () => sink.stop() };
  },
});
