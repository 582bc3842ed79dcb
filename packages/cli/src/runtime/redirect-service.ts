import { join } from 'node:path';
import { InProcessBus } from '@linktrack/bus';
import { startRedirectWorker } from '@linktrack/redirect';
import { TOPICS } from '@linktrack/streams';
import { defineService } from './service-definition.js';

/**
 * The short-link redirect, on a thread of its own: enrichment, inserts and
 * the Kafka client never slow it. Clicks the bus cannot take (Kafka away, or
 * the bounded in-process bus full because the pipeline is behind) wait in
 * memory, then in a spool in the data dir. In the embedded default the
 * pipeline on the main thread holds back while the redirect thread is busy
 * (LINKTRACK_PIPELINE_YIELD), and catches up from the bus and the spool after.
 */
export const redirectService = defineService({
  name: 'redirect',
  phase: 'server',
  needs: ['bus'],
  async start(ctx) {
    const bus = ctx.use('bus');
    const { config } = ctx;
    const spoolPath = join(config.dataDir, 'spool', 'clicks-raw.spool');
    const worker = await startRedirectWorker(
      bus,
      {
        host: config.host,
        ...config.redirect,
        spoolPath,
        storeRawIp: config.storeRawIp,
        heartbeat: ctx.heartbeat,
        allowedOrigins: config.collect.allowedOrigins,
        publishableKey: config.collect.publishableKey,
        clickIdParam: config.links.clickIdParam,
        qrParam: config.links.qrParam,
      },
      config.logLevel,
    );
    const yielding = bus instanceof InProcessBus && config.embedded.pipelineYield;
    if (yielding) bus.yieldTo(worker.busy, [TOPICS.clicksRaw, TOPICS.clicksEnriched]);
    return {
      url: worker.url,
      metrics: async () => [await worker.metrics()],
      crashed: worker.crashed,
      stop: async () => {
        await worker.stop();
        // Nothing left to yield to: the pipeline drains what the redirect published.
        if (yielding) bus.yieldTo(null);
      },
    };
  },
});
