import avro from 'avsc';
import { crc64Avro, fingerprintBytes } from './crc64-avro.js';
import { SchemaError } from './errors.js';

/** Avro single-object encoding marker (spec: "C3 01"), followed by the 8-byte fingerprint. */
const MAGIC_0 = 0xc3;
const MAGIC_1 = 0x01;
const HEADER_BYTES = 10;

export interface Codec<T> {
  /** Fingerprint of the schema this codec writes, as 16 hex digits. */
  readonly fingerprint: string;
  /** Full name of the record, e.g. io.linktrack.ClickEvent. */
  readonly name: string;
  /** The written schema in Parsing Canonical Form: what other processes need to read our bytes. */
  readonly canonicalSchema: string;
  /** Whether the bytes name a writer schema this codec can resolve (or are not single-object at all). */
  knowsWriter(bytes: Uint8Array): boolean;
  encode(value: T): Buffer;
  /**
   * The same bytes written into `buf` at `at`, without a buffer of their own:
   * where they end, or minus the bytes missing when `buf` is too small (avsc's
   * convention; call again with a larger buffer).
   */
  encodeInto(value: T, buf: Buffer, at: number): number;
  /** Decodes any known writer version into the reader's shape; throws SchemaError on bad bytes. */
  decode(bytes: Uint8Array): T;
  /** Makes another writer schema (e.g. from a newer producer) resolvable by this reader. */
  registerWriterSchema(schema: object): string;
}

interface WriterEntry {
  type: avro.Type;
  resolver: avro.Resolver | null;
}

export function schemaFingerprint(type: avro.Type): bigint {
  // `schema()` returns the Parsing Canonical Form that the fingerprint is defined over.
  return crc64Avro(JSON.stringify(type.schema()));
}

/**
 * A codec writes `readerSchema` and reads every registered writer version,
 * resolving old and new fields through Avro schema resolution.
 */
export function createCodec<T>(readerSchema: object, writerSchemas: object[] = []): Codec<T> {
  const reader = avro.Type.forSchema(readerSchema as avro.Schema);
  const readerFp = schemaFingerprint(reader);
  const header = Buffer.concat([Buffer.from([MAGIC_0, MAGIC_1]), fingerprintBytes(readerFp)]);
  const writers = new Map<bigint, WriterEntry>([[readerFp, { type: reader, resolver: null }]]);

  function registerWriterSchema(schema: object): string {
    const type = avro.Type.forSchema(schema as avro.Schema);
    const fp = schemaFingerprint(type);
    if (!writers.has(fp)) writers.set(fp, { type, resolver: reader.createResolver(type) });
    return hex(fp);
  }
  for (const schema of writerSchemas) registerWriterSchema(schema);

  // Encoding runs once per event on the hot path: the header and body are written into one
  // scratch buffer and copied out once (avsc's toBuffer zero-fills a buffer, and a concat
  // with the header copied again). The scratch grows when a record does not fit.
  let scratch = Buffer.allocUnsafeSlow(16 * 1024);
  header.copy(scratch, 0);
  function encode(value: T): Buffer {
    let end: number;
    try {
      end = reader.encode(value, scratch, HEADER_BYTES);
      if (end < 0) {
        scratch = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, scratch.length - end));
        header.copy(scratch, 0);
        end = reader.encode(value, scratch, HEADER_BYTES);
      }
    } catch (err) {
      throw new SchemaError('LT_SCHEMA_INVALID_RECORD', invalidMessage(reader, value), { cause: err });
    }
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  }

  function encodeInto(value: T, buf: Buffer, at: number): number {
    if (buf.length - at < HEADER_BYTES) return -(HEADER_BYTES - (buf.length - at) + 256);
    let end: number;
    try {
      end = reader.encode(value, buf, at + HEADER_BYTES);
    } catch (err) {
      throw new SchemaError('LT_SCHEMA_INVALID_RECORD', invalidMessage(reader, value), { cause: err });
    }
    if (end >= 0) header.copy(buf, at);
    return end;
  }

  function decode(bytes: Uint8Array): T {
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < HEADER_BYTES || buf[0] !== MAGIC_0 || buf[1] !== MAGIC_1) {
      throw new SchemaError(
        'LT_SCHEMA_BAD_HEADER',
        `not an Avro single-object message (${buf.length} bytes)`,
      );
    }
    const fp = buf.readBigUInt64LE(2);
    const writer = writers.get(fp);
    if (!writer) {
      throw new SchemaError('LT_SCHEMA_UNKNOWN_FINGERPRINT', `unknown writer schema fingerprint ${hex(fp)}`);
    }
    try {
      const body = buf.subarray(HEADER_BYTES);
      return (writer.resolver ? reader.fromBuffer(body, writer.resolver) : reader.fromBuffer(body)) as T;
    } catch (err) {
      throw new SchemaError(
        'LT_SCHEMA_DECODE_FAILED',
        `cannot decode ${reader.name}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  function knowsWriter(bytes: Uint8Array): boolean {
    if (bytes.length < HEADER_BYTES || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) return true;
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return writers.has(buf.readBigUInt64LE(2));
  }

  return {
    fingerprint: hex(readerFp),
    name: reader.name as string,
    canonicalSchema: JSON.stringify(reader.schema()),
    encode,
    encodeInto,
    decode,
    registerWriterSchema,
    knowsWriter,
  };
}

function hex(fp: bigint): string {
  return fp.toString(16).padStart(16, '0');
}

/** Names the first offending field, so a bad record is reported as "field: reason". */
function invalidMessage(type: avro.Type, value: unknown): string {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook: (path, val) => problems.push(`${path.join('.') || '(record)'}: got ${describe(val)}`),
  });
  return `invalid ${type.name}: ${problems.slice(0, 5).join('; ') || 'not a record'}`;
}

function describe(val: unknown): string {
  if (val === undefined) return 'undefined';
  if (val === null) return 'null';
  return `${typeof val} ${JSON.stringify(val)?.slice(0, 40)}`;
}
