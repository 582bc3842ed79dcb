import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApiApp, createConversionService, createLinkService } from '@linktrack/api';
import { type Bus, InProcessBus } from '@linktrack/bus';
import { DEFAULT_TAXONOMY, type DestinationPolicy, followLinks, LinkIndex } from '@linktrack/links';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import type { FastifyInstance } from 'fastify';

export const TEST_API_KEY = 'test-key-0123456789abcdef';

export interface ApiUnderTest {
  app: FastifyInstance;
  index: LinkIndex;
  bus: Bus;
  store: Store;
  close(): Promise<void>;
}

/**
 * The api as production wires it (its index follows the links topic), on the
 * in-process bus or a given one, with a real embedded store.
 */
export async function apiUnderTest(
  options: {
    bus?: Bus;
    store?: Store;
    policy?: Partial<DestinationPolicy>;
    now?: () => number;
    attributionWindowDays?: number;
  } = {},
): Promise<ApiUnderTest> {
  const logger = createLogger('silent');
  const store =
    options.store ??
    (await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-api-')), logger }));
  const bus = options.bus ?? new InProcessBus({ logger });
  const index = new LinkIndex();
  const codecs = createCodecs();
  const follower = await followLinks(index, {
    bus,
    codec: codecs.linkEvent,
    logger,
    group: `api-test-${Math.random()}`,
  });
  const policy: DestinationPolicy = {
    taxonomy: DEFAULT_TAXONOMY,
    ownDomains: [],
    allowPrivate: false,
    ...options.policy,
  };
  const links = createLinkService({
    bus,
    codec: codecs.linkEvent,
    index,
    baseUrl: 'https://sho.rt',
    policy,
    ...(options.now ? { now: options.now } : {}),
  });
  const conversions = createConversionService({
    bus,
    codec: codecs.conversionEvent,
    ...(options.now ? { now: options.now } : {}),
  });
  const app = await buildApiApp({
    apiKey: TEST_API_KEY,
    analyst: store.analyst,
    analytics: { reader: store.reader, windowDays: options.attributionWindowDays ?? 30 },
    links,
    conversions,
    linkRules: { policy, qrParam: 'lt_qr', clickIdParam: 'lt_cid', checkAllowPrivate: true },
    logger,
    readiness: () => ({ ready: true }),
  });
  return {
    app,
    index,
    bus,
    store,
    close: async () => {
      await app.close();
      await follower.close();
      if (!options.bus) await bus.close();
      if (!options.store) await store.close();
    },
  };
}
