import { join } from 'node:path';
import { startRedirectWorker } from '@linktrack/redirect';
import { defineService } from './service-definition.js';

/**
 * The short-link redirect, on a thread of its own: enrichment, inserts and
 * the Kafka client never slow it. On Kafka it spools clicks to disk while the
 * broker is away; the in-process bus cannot be away.
 */
export const redirectService = defineService({
  name: 'redirect',
  phase: 'server',
  needs: ['bus'],
  async start(ctx) {
    const bus = ctx.use('bus');
    const { config } = ctx;
    const spoolPath = bus.kind === 'kafka' ? join(config.dataDir, 'spool', 'clicks-raw.spool') : null;
    const worker = await startRedirectWorker(
      bus,
      {
        host: config.host,
        ...config.redirect,
        spoolPath,
        storeRawIp: config.storeRawIp,
        heartbeat: ctx.heartbeat,
        allowedOrigins: config.collect.allowedOrigins,
        clickIdParam: config.links.clickIdParam,
        qrParam: config.links.qrParam,
      },
      config.logLevel,
    );
    return {
      url: worker.url,
      metrics: async () => [await worker.metrics()],
      crashed: worker.crashed,
      stop: () => worker.stop(),
    };
  },
});
