import { SCHEMAS_TOPIC } from '@linktrack/schema';
import {
  defineStream,
  type RecordOfStream,
  type StreamContract,
  type TopicContract,
  tableOf,
} from './contract.js';
import { GROUPS, TABLES } from './names.js';
import { clickConfirmationV1 } from './records/click-confirmation.js';
import { clickEventV1, clickEventV2, clickEventV3, clickEventV4 } from './records/click-event.js';
import { conversionEventV1 } from './records/conversion-event.js';
import { deadLetterV1 } from './records/dead-letter.js';
import {
  enrichedClickV1,
  enrichedClickV2,
  enrichedClickV3,
  enrichedClickV4,
} from './records/enriched-click.js';
import { linkEventV1, linkEventV2, linkEventV3 } from './records/link-event.js';
import {
  clickConfirmationRowMapping,
  clickRowMapping,
  conversionRowMapping,
  deadLetterRowMapping,
  linkRowMapping,
} from './rows.js';

/**
 * Every stream linktrack writes, declared once. Topic creation, codecs, the
 * sink's tables and the README's topic table are derived from this; a new
 * stream is a new entry here, a migration for its table, and the code that
 * produces and consumes it.
 */
export const STREAMS = {
  clicksRaw: defineStream({
    topic: 'clicks.raw',
    key: "client IP prefix (/24, /48): one visitor's clicks stay in one partition",
    carries: 'from the redirect, one per request it served',
    compacted: false,
    schema: clickEventV4,
    history: [clickEventV1, clickEventV2, clickEventV3],
    readers: [{ group: GROUPS.enricher }],
    table: null,
  }),
  clicksEnriched: defineStream({
    topic: 'clicks.enriched',
    key: 'same as `clicks.raw`',
    carries: 'from the enricher',
    compacted: false,
    schema: enrichedClickV4,
    history: [enrichedClickV1, enrichedClickV2, enrichedClickV3],
    readers: [{ group: GROUPS.sinkClicks }],
    table: tableOf(enrichedClickV4, {
      name: TABLES.clicks,
      group: GROUPS.sinkClicks,
      ...clickRowMapping,
      filledByClickHouse: ['inserted_at'],
    }),
  }),
  links: defineStream({
    topic: 'links',
    key: 'slug',
    carries: "from the api: a link's whole state after each create, update or disable",
    compacted: true,
    schema: linkEventV3,
    history: [linkEventV1, linkEventV2],
    readers: [
      { group: GROUPS.sinkLinks },
      { group: GROUPS.redirectLinks, perInstance: true },
      { group: GROUPS.apiLinks, perInstance: true },
      { group: GROUPS.sinkCaps, perInstance: true },
    ],
    table: tableOf(linkEventV3, { name: TABLES.links, group: GROUPS.sinkLinks, ...linkRowMapping }),
  }),
  confirmations: defineStream({
    topic: 'confirmations',
    key: 'click id',
    carries: "from the redirect host's collect endpoint: a browser showed the landing page of a click",
    compacted: false,
    schema: clickConfirmationV1,
    history: [],
    readers: [{ group: GROUPS.sinkConfirmations }],
    table: tableOf(clickConfirmationV1, {
      name: TABLES.clickConfirmations,
      group: GROUPS.sinkConfirmations,
      ...clickConfirmationRowMapping,
      filledByClickHouse: ['inserted_at'],
    }),
  }),
  conversions: defineStream({
    topic: 'conversions',
    key: 'conversion id',
    carries:
      'from the api (server, api key) and the collect endpoint (browser, publishable key): what a click led to',
    compacted: false,
    schema: conversionEventV1,
    history: [],
    readers: [{ group: GROUPS.sinkConversions }],
    table: tableOf(conversionEventV1, {
      name: TABLES.conversions,
      group: GROUPS.sinkConversions,
      ...conversionRowMapping,
      filledByClickHouse: ['inserted_at'],
    }),
  }),
  dlq: defineStream({
    topic: 'dlq',
    key: "the original message's key",
    carries: 'from any stage that gave up on a message: the error and the original bytes',
    compacted: false,
    schema: deadLetterV1,
    history: [],
    readers: [{ group: GROUPS.sinkDeadLetters }],
    table: tableOf(deadLetterV1, {
      name: TABLES.deadLetters,
      group: GROUPS.sinkDeadLetters,
      ...deadLetterRowMapping,
    }),
  }),
} as const;

/** Writer schemas by fingerprint, so a reader resolves versions it was not built with. Not Avro itself. */
export const SCHEMAS: TopicContract = {
  topic: SCHEMAS_TOPIC,
  key: 'schema fingerprint',
  carries: "every writer's Avro schema, as JSON",
  compacted: true,
  readers: [
    { group: GROUPS.schemas, perInstance: true },
    { group: GROUPS.redirectSchemas, perInstance: true },
  ],
};

export type StreamName = keyof typeof STREAMS;

/** Every topic, in the order the README lists them. */
export const TOPIC_CONTRACTS: readonly TopicContract[] = [
  STREAMS.clicksRaw,
  STREAMS.clicksEnriched,
  STREAMS.links,
  STREAMS.confirmations,
  STREAMS.conversions,
  SCHEMAS,
  STREAMS.dlq,
];

/** Logical topic names, e.g. TOPICS.clicksRaw = 'clicks.raw'. */
export const TOPICS = {
  ...(Object.fromEntries(Object.entries(STREAMS).map(([name, s]) => [name, s.topic])) as Record<
    StreamName,
    string
  >),
  schemas: SCHEMAS.topic,
};

/** Topics that keep the newest message per key (registries), not a history. */
export const COMPACTED_TOPICS: readonly string[] = TOPIC_CONTRACTS.filter((t) => t.compacted).map(
  (t) => t.topic,
);

/** What the Kafka bus creates when missing. */
export const TOPIC_SPECS: readonly { topic: string; compacted: boolean }[] = TOPIC_CONTRACTS.map((t) => ({
  topic: t.topic,
  compacted: t.compacted,
}));

/** The streams the sink stores: every one with a table. */
export function storedStreams(streams: readonly StreamContract[] = Object.values(STREAMS)): StreamContract[] {
  return streams.filter((s) => s.table !== null);
}

/** A click as its row of linktrack.clicks (JSONEachRow), for tools and tests that insert rows themselves. */
export function clickRow(click: RecordOfStream<typeof STREAMS.clicksEnriched>): Record<string, unknown> {
  return (STREAMS.clicksEnriched.table as NonNullable<typeof STREAMS.clicksEnriched.table>).toRow(click);
}
