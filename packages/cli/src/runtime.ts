import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApiApp, createLinkService } from '@linktrack/api';
import { type Bus, InProcessBus, type Subscription, TOPICS } from '@linktrack/bus';
import type { LinktrackConfig } from '@linktrack/config';
import {
  createEnrichContext,
  createUserAgentParser,
  type Enricher,
  openGeoLookup,
  startEnricher,
} from '@linktrack/enricher';
import { followLinks, LinkIndex } from '@linktrack/links';
import { startRedirectWorker } from '@linktrack/redirect';
import { createCodecs } from '@linktrack/schema';
import { type Sink, startSink } from '@linktrack/sink';
import { openStore, type Store } from '@linktrack/store';
import { createMetrics, type Logger, type Metrics } from '@linktrack/telemetry';
import type { FastifyInstance } from 'fastify';
import { type ResolvedApiKey, resolveApiKey } from './api-key.js';
import type { ServiceName } from './services.js';

export interface RunningStack {
  redirectUrl: string | null;
  apiUrl: string | null;
  apiKey: ResolvedApiKey | null;
  store: Store | null;
  bus: Bus;
  metrics: Metrics;
  stop(): Promise<void>;
}

/**
 * Starts the chosen services in this process. Start order: storage, bus, the
 * link registry, consumers, then the HTTP servers, so that nothing is served
 * before what it needs is ready. Stop runs the other way and drains first.
 */
export async function startStack(
  config: LinktrackConfig,
  services: Set<ServiceName>,
  logger: Logger,
): Promise<RunningStack> {
  const metrics = createMetrics();
  const codecs = createCodecs();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.error({ event: 'stop_failed', err }));
  };
  try {
    const store =
      services.has('sink') || services.has('api')
        ? await openStore({ url: config.clickhouse.url, dataDir: config.dataDir, logger })
        : null;
    if (store) stops.push(() => store.close());

    const bus = new InProcessBus({
      logger,
      metrics,
      dataDir: config.dataDir,
      persistentTopics: [TOPICS.links],
    });
    stops.push(() => bus.close());

    const index = new LinkIndex();
    if (services.has('redirect') || services.has('api')) {
      const follower: Subscription = await followLinks(index, {
        bus,
        codec: codecs.linkEvent,
        logger,
        group: `index-${randomUUID()}`,
      });
      stops.push(() => follower.close());
    }

    if (services.has('sink') && store) {
      const sink: Sink = await startSink({ bus, client: store.client, codecs, logger, metrics });
      stops.push(() => sink.stop());
    }
    if (services.has('enricher')) {
      const context = createEnrichContext(await openGeoLookup(config.geoip.paths), createUserAgentParser());
      const enricher: Enricher = await startEnricher({ bus, codecs, context, logger, metrics });
      stops.push(() => enricher.stop());
    }
    // Before consumers stop, wait until what was published has been handled.
    stops.push(() => bus.idle(15_000).catch((err) => logger.error({ event: 'drain_timeout', err })));

    let apiUrl: string | null = null;
    let apiKey: ResolvedApiKey | null = null;
    if (services.has('api') && store) {
      apiKey = resolveApiKey(config.api.apiKey, config.dataDir);
      const links = createLinkService({ bus, codec: codecs.linkEvent, index, baseUrl: config.api.baseUrl });
      const api = await buildApiApp({
        apiKey: apiKey.key,
        reader: store.reader,
        links,
        logger,
        metrics,
        isReady: () => index.ready,
      });
      apiUrl = await listen(api, config.host, config.api.port);
      stops.push(() => api.close());
    }

    let redirectUrl: string | null = null;
    if (services.has('redirect')) {
      const settings = { host: config.host, ...config.redirect };
      // Embedded: the redirect gets a thread of its own, so enrichment and inserts never slow it.
      const redirect = await startRedirectWorker(bus, settings, config.logLevel);
      redirectUrl = redirect.url;
      stops.push(() => redirect.stop());
    }

    return { redirectUrl, apiUrl, apiKey, store, bus, metrics, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
