import type { Codec } from '@linktrack/streams';
import { dlq, ok, type Step } from './step.js';

/** Bytes to a record of the stream; bytes no known writer schema explains are dead-lettered. */
export function createDecodeStep<T>(codec: Codec<T>): Step<Buffer, T> {
  return {
    name: 'decode',
    run(bytes) {
      try {
        return ok(codec.decode(bytes));
      } catch (err) {
        return dlq('undecodable', err);
      }
    },
  };
}

/** A record to bytes: the Avro schema is the last check before an event leaves. */
export function createEncodeStep<T>(codec: Codec<T>): Step<T, Buffer> {
  return {
    name: 'encode',
    run(record) {
      try {
        return ok(codec.encode(record));
      } catch (err) {
        return dlq('unencodable', err);
      }
    },
  };
}
