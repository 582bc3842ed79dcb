import { type Codec, createCodec, type RecordOf } from '@linktrack/schema';
import type { RecordOfStream, StreamContract } from './contract.js';
import { StreamError } from './errors.js';
import { STREAMS } from './streams.js';

type Streams = typeof STREAMS;

/** A stream's codec is named after its record: ClickEvent → codecs.clickEvent. */
export type Codecs = {
  [K in keyof Streams as Uncapitalize<Streams[K]['schema']['name']>]: Codec<RecordOf<Streams[K]['schema']>>;
};

export function codecName(stream: StreamContract): string {
  const name = stream.schema.name;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Writes the stream's current version and reads every earlier one. */
export function codecFor<S extends StreamContract>(stream: S): Codec<RecordOfStream<S>> {
  return createCodec(stream.schema, [...stream.history]);
}

/** Codecs for every stream; build once per process and share, so writer schemas learnt reach them all. */
export function createCodecs(): Codecs {
  const codecs: Record<string, Codec<unknown>> = {};
  for (const stream of Object.values(STREAMS)) codecs[codecName(stream)] = codecFor(stream);
  return codecs as Codecs;
}

/** The codecs as a list, for announcing and following writer schemas. */
export function allCodecs(codecs: Codecs): Codec<unknown>[] {
  return Object.values(codecs) as Codec<unknown>[];
}

/** The codec of `stream` among `codecs` (which may hold codecs of streams declared elsewhere, e.g. in a test). */
export function codecOf(codecs: object, stream: StreamContract): Codec<unknown> {
  const codec = (codecs as Record<string, Codec<unknown> | undefined>)[codecName(stream)];
  if (!codec)
    throw new StreamError(
      'LT_STREAM_NO_CODEC',
      `no codec for ${stream.schema.name} (stream ${stream.topic})`,
    );
  return codec;
}
