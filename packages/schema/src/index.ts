import { clickEventV1 } from './avro/click-event.js';
import { deadLetterV1 } from './avro/dead-letter.js';
import { enrichedClickV1 } from './avro/enriched-click.js';
import { linkEventV1 } from './avro/link-event.js';
import { type Codec, createCodec } from './codec.js';
import type { ClickEvent, DeadLetter, EnrichedClick, LinkEvent } from './types.js';

export { type Codec, createCodec, schemaFingerprint } from './codec.js';
export { crc64Avro } from './crc64-avro.js';
export { type DeadLetterSource, deadLetterFor } from './dead-letter.js';
export { SchemaError, type SchemaErrorCode } from './errors.js';
export type * from './types.js';
export { clickEventV1, deadLetterV1, enrichedClickV1, linkEventV1 };

/** Codecs for the current version of each record; build once per process and share. */
export interface Codecs {
  clickEvent: Codec<ClickEvent>;
  enrichedClick: Codec<EnrichedClick>;
  linkEvent: Codec<LinkEvent>;
  deadLetter: Codec<DeadLetter>;
}

export function createCodecs(): Codecs {
  return {
    clickEvent: createCodec<ClickEvent>(clickEventV1),
    enrichedClick: createCodec<EnrichedClick>(enrichedClickV1),
    linkEvent: createCodec<LinkEvent>(linkEventV1),
    deadLetter: createCodec<DeadLetter>(deadLetterV1),
  };
}
export {
  announceWriterSchemas,
  followWriterSchemas,
  SCHEMAS_TOPIC,
  type WriterSchemaFollower,
} from './writer-schemas.js';

/** The codecs as a list, for announcing and following writer schemas. */
export function allCodecs(codecs: Codecs): Codec<unknown>[] {
  return Object.values(codecs) as Codec<unknown>[];
}
