import type { ClickEvent, Codec } from '@linktrack/schema';
import { dlq, ok, type StepResult } from './result.js';

export function createDecodeStep(deps: { codec: Codec<ClickEvent> }) {
  return function decode(bytes: Buffer): StepResult<ClickEvent> {
    try {
      return ok(deps.codec.decode(bytes));
    } catch (err) {
      return dlq('undecodable', err);
    }
  };
}
