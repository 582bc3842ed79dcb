import { startEnricher } from '@linktrack/enricher';
import { defineService } from './service-definition.js';

/** Turns raw clicks into enriched ones: geo, device, bot signals, UTMs, referrer. */
export const enricherService = defineService({
  name: 'enricher',
  phase: 'consumer',
  needs: ['bus', 'schemas', 'enrichContext'],
  async start(ctx) {
    const enricher = await startEnricher({
      bus: ctx.use('bus'),
      codecs: ctx.codecs,
      schemas: ctx.use('schemas'),
      context: ctx.use('enrichContext'),
      logger: ctx.logger,
      metrics: ctx.metrics,
      keepRawClicks: ctx.config.storeRawIp,
    });
    return { stop: () => enricher.stop() };
  },
});
