import { type AvroRecordSchema, type Codec, createCodec, type RecordOf } from '@linktrack/schema';

/** A codec that writes exactly this version of a record, as an older or a newer process does. */
export function writerOf<const S extends AvroRecordSchema>(schema: S): Codec<RecordOf<S>> {
  return createCodec<RecordOf<S>>(schema);
}
