import { type Bus, InProcessBus, KafkaBus } from '@linktrack/bus';
import type { LinktrackConfig } from '@linktrack/config';
import {
  compileNetworkLists,
  createEnrichContext,
  createUserAgentParser,
  type EnrichContext,
  NO_ASN,
  openAsnLookup,
  openGeoLookup,
  readNetworkListsFile,
  readRelayRanges,
} from '@linktrack/enricher';
import { DEFAULT_TAXONOMY, loadTaxonomy, type Taxonomy } from '@linktrack/links';
import type { WriterSchemaFollower } from '@linktrack/schema';
import { openStore, type Store } from '@linktrack/store';
import {
  allCodecs,
  announceWriterSchemas,
  COMPACTED_TOPICS,
  type Codecs,
  followWriterSchemas,
  GROUPS,
  instanceGroup,
  TOPIC_SPECS,
} from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';
import { type ResolvedApiKey, resolveApiKey } from '../api-key.js';
import { resolveVisitorSecret } from '../visitor-secret.js';

/** What services can ask for. Each is opened once per process, on first need, and closed in reverse. */
export interface ResourceTypes {
  apiKey: ResolvedApiKey;
  store: Store;
  bus: Bus;
  /** Writer schemas: ours announced, everyone else's followed. */
  schemas: WriterSchemaFollower;
  enrichContext: EnrichContext;
  /** The UTM taxonomy (LINKTRACK_TAXONOMY, or the built-in defaults); a bad file stops the start. */
  taxonomy: Taxonomy;
}
export type ResourceName = keyof ResourceTypes;

export interface Base {
  config: LinktrackConfig;
  logger: Logger;
  metrics: Metrics;
  codecs: Codecs;
}

export interface Opened<T> {
  value: T;
  close?: () => Promise<void>;
}

interface ResourceDefinition<K extends ResourceName> {
  needs: readonly ResourceName[];
  open(
    base: Base,
    use: <N extends ResourceName>(name: N) => ResourceTypes[N],
  ): Promise<Opened<ResourceTypes[K]>>;
}

/** Kafka when brokers are configured, otherwise the in-process bus (links persisted in the data dir). */
export function createBus(config: LinktrackConfig, logger: Logger, metrics: Metrics): Bus {
  if (config.kafka) return new KafkaBus({ config: config.kafka, logger, metrics, topics: TOPIC_SPECS });
  return new InProcessBus({
    logger,
    metrics,
    dataDir: config.dataDir,
    persistentTopics: [...COMPACTED_TOPICS],
    maxPendingMessages: config.embedded.busMaxMessages,
  });
}

/**
 * Every resource, with what it needs. The api key comes first of all, so a
 * bad key file stops the start before anything is opened.
 */
export const RESOURCES: { [K in ResourceName]: ResourceDefinition<K> } = {
  apiKey: {
    needs: [],
    open: async ({ config }) => ({ value: resolveApiKey(config.api.apiKey, config.dataDir) }),
  },
  taxonomy: {
    needs: [],
    open: async ({ config }) => ({
      value: config.links.taxonomyPath ? loadTaxonomy(config.links.taxonomyPath) : DEFAULT_TAXONOMY,
    }),
  },
  store: {
    needs: [],
    open: async ({ config, logger }) => {
      const store = await openStore({
        url: config.clickhouse.url,
        dataDir: config.dataDir,
        logger,
        analystLimits: config.sql,
      });
      return { value: store, close: () => store.close() };
    },
  },
  bus: {
    needs: [],
    open: async ({ config, logger, metrics }) => {
      const bus = createBus(config, logger, metrics);
      if (bus instanceof KafkaBus) await bus.connect();
      return { value: bus, close: () => bus.close() };
    },
  },
  schemas: {
    needs: ['bus'],
    open: async ({ codecs, logger }, use) => {
      const bus = use('bus');
      // Before anything is written or read: our writer schemas out, everyone else's in.
      await announceWriterSchemas(bus, allCodecs(codecs));
      const schemas = await followWriterSchemas(
        bus,
        allCodecs(codecs),
        instanceGroup(GROUPS.schemas),
        (err, schema) =>
          logger.error(
            { event: 'writer_schema_rejected', err, schema },
            'an announced writer schema cannot be read',
          ),
      );
      return { value: schemas, close: () => schemas.close() };
    },
  },
  enrichContext: {
    needs: [],
    open: async ({ config, logger }) => ({ value: await openEnrichContext(config, logger) }),
  },
};

/** The enricher's resources: geo and ASN databases, network lists, classifier, visitor-hash secret. */
export async function openEnrichContext(config: LinktrackConfig, logger: Logger): Promise<EnrichContext> {
  const { enricher } = config;
  const asn = enricher.asnPaths.length > 0 ? openAsnLookup(enricher.asnPaths) : NO_ASN;
  const relays = readRelayRanges(enricher.privacyRelayRanges);
  const networks = compileNetworkLists(readNetworkListsFile(), relays);
  const context = createEnrichContext(await openGeoLookup(config.geoip.paths), createUserAgentParser(), {
    asn,
    networks,
    signalsOff: enricher.botSignalsOff,
    visitorSecret: resolveVisitorSecret(enricher.visitorSaltSecret, config.dataDir),
    ownHosts: [new URL(config.api.baseUrl).hostname],
  });
  logger.info(
    {
      event: 'enrich_context_ready',
      asn_ranges: asn.ranges,
      relay_ranges: relays?.size ?? 0,
      classifier_version: context.classifier.version,
      signals_off: enricher.botSignalsOff,
    },
    'enricher resources loaded',
  );
  return context;
}

/** The resources `wanted` need, with their own needs first, in a stable order. */
export function resourceOrder(wanted: Iterable<ResourceName>): ResourceName[] {
  const order: ResourceName[] = [];
  const visit = (name: ResourceName, path: ResourceName[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`resource cycle: ${[...path, name].join(' → ')}`);
    for (const need of RESOURCES[name].needs) visit(need, [...path, name]);
    order.push(name);
  };
  const all = Object.keys(RESOURCES) as ResourceName[];
  const set = new Set(wanted);
  for (const name of all) if (set.has(name)) visit(name, []);
  return order;
}
