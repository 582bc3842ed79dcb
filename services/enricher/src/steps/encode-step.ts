import type { Codec, EnrichedClick } from '@linktrack/schema';
import { dlq, ok, type StepResult } from './result.js';

export function createEncodeStep(deps: { codec: Codec<EnrichedClick> }) {
  return function encode(click: EnrichedClick): StepResult<Buffer> {
    try {
      return ok(deps.codec.encode(click));
    } catch (err) {
      return dlq('unencodable', err);
    }
  };
}
