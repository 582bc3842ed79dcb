// The Avro machinery services need, so that they depend on this package and never on avsc.
export {
  announceWriterSchemas,
  type Codec,
  catchUpOnWriters,
  followWriterSchemas,
  type RecordOf,
  SchemaError,
  type WriterSchemaFollower,
} from '@linktrack/schema';
export {
  allCodecs,
  type Codecs,
  codecFor,
  codecName,
  codecOf,
  createCodecs,
} from './codecs.js';
export {
  defineStream,
  isStream,
  type Reader,
  type RecordOfStream,
  type StreamContract,
  type TableContract,
  type TopicContract,
  tableColumns,
  tableOf,
} from './contract.js';
export { type DeadLetterSource, deadLetterFor } from './dead-letter.js';
export { StreamError, type StreamErrorCode } from './errors.js';
export {
  BOT_SIGNALS,
  botFields,
  clickIdFields,
  DEVICE_TYPES,
  deviceFields,
  geoFields,
  REFERRER_MEDIUMS,
  referrerFields,
  TRIGGERS,
  timestamp,
  triggerField,
  utmFields,
  uuid,
} from './fields.js';
export { GROUPS, instanceGroup, TABLES } from './names.js';
export { topicTable } from './readme.js';
export { clickConfirmationV1 } from './records/click-confirmation.js';
export {
  clickEventV1,
  clickEventV2,
  clickEventV3,
  clickEventV4,
  visitTypeField,
} from './records/click-event.js';
export {
  CONVERSION_SOURCES,
  conversionEventV1,
  conversionTrust,
  decimalText,
} from './records/conversion-event.js';
export { deadLetterV1 } from './records/dead-letter.js';
export {
  enrichedClickV1,
  enrichedClickV2,
  enrichedClickV3,
  enrichedClickV4,
} from './records/enriched-click.js';
export { LINK_STATUSES, linkEventV1, linkEventV2, linkEventV3 } from './records/link-event.js';
export {
  type ColumnValue,
  extraColumns,
  type RowMapping,
  rowMapper,
  type TsvRowWriter,
  tsvArray,
  tsvMillis,
  tsvRowWriter,
  tsvString,
} from './row-format.js';
export {
  clickConfirmationRowMapping,
  clickRowMapping,
  conversionRowMapping,
  deadLetterRowMapping,
  linkRowMapping,
} from './rows.js';
export {
  COMPACTED_TOPICS,
  clickRow,
  SCHEMAS,
  STREAMS,
  type StreamName,
  storedStreams,
  TOPIC_CONTRACTS,
  TOPIC_SPECS,
  TOPICS,
} from './streams.js';
export type * from './types.js';
export { isVisitType, legacyVisitType, VISIT_TYPES, type VisitType } from './visit-type.js';
