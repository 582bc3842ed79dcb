export type { AvroField, AvroRecordSchema, AvroTypeSchema, AvroValue, RecordOf } from './avro-types.js';
export { type Codec, createCodec, schemaFingerprint } from './codec.js';
export { crc64Avro } from './crc64-avro.js';
export { SchemaError, type SchemaErrorCode } from './errors.js';
export {
  announceWriterSchemas,
  catchUpOnWriters,
  followWriterSchemas,
  SCHEMAS_TOPIC,
  type WriterSchemaFollower,
} from './writer-schemas.js';
