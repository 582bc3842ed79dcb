import { randomUUID } from 'node:crypto';
import type { Bus } from '@linktrack/bus';
import {
  ConversionFieldError,
  checkAmount,
  checkConversionId,
  checkEventName,
  checkOccurredAt,
  checkUuid,
  serverTouches,
} from '@linktrack/links';
import { type Codec, type ConversionEvent, TOPICS } from '@linktrack/streams';
import { ApiError } from '../errors.js';
import type { ConversionInput, ConversionsAccepted, ConversionsBody } from '../schemas/conversions.js';

export interface ConversionServiceDeps {
  bus: Bus;
  codec: Codec<ConversionEvent>;
  now?: () => number;
}

export type ConversionService = ReturnType<typeof createConversionService>;

/**
 * Server-to-server conversions (source server, trust 2). A batch is all or
 * nothing: every conversion is checked before any is published, and they are
 * published in one call. Click ids are not looked up: a conversion of a click
 * not (yet) stored is kept, and attributed once its click arrives.
 */
export function createConversionService(deps: ConversionServiceDeps) {
  const now = deps.now ?? Date.now;

  async function accept(body: ConversionsBody): Promise<ConversionsAccepted> {
    const at = now();
    const { conversions, ...single } = body;
    const given = Object.keys(single);
    if (conversions && given.length > 0)
      throw invalid(given[0] as string, 'not allowed beside "conversions": send one conversion or a batch');
    const events = conversions
      ? conversions.map((c, i) => build(c, at, `conversions[${i}].`))
      : [build(single, at, '')];
    // One id twice in a batch would keep only one of them: say so instead.
    const seen = new Map<string, number>();
    events.forEach((e, i) => {
      const first = seen.get(e.conversion_id);
      if (first !== undefined) throw invalid(`conversions[${i}].id`, `repeats conversions[${first}].id`);
      seen.set(e.conversion_id, i);
    });
    await deps.bus.publish(
      TOPICS.conversions,
      events.map((e) => ({ key: Buffer.from(e.conversion_id), value: deps.codec.encode(e) })),
    );
    return { accepted: events.length, ids: events.map((e) => e.conversion_id) };
  }

  function build(input: Partial<ConversionInput>, at: number, prefix: string): ConversionEvent {
    for (const field of ['click_id', 'event'] as const)
      if (input[field] === undefined) throw invalid(`${prefix}${field}`, 'is required');
    try {
      const clickId = checkUuid(input.click_id, `${prefix}click_id`);
      const touches = (input.touches ?? []).map((t, i) => checkUuid(t, `${prefix}touches[${i}]`));
      return {
        conversion_id: input.id === undefined ? randomUUID() : checkConversionId(input.id, `${prefix}id`),
        click_id: clickId,
        touches: serverTouches(clickId, input.touches === undefined ? undefined : touches),
        event: checkEventName(input.event, `${prefix}event`),
        ...checkAmount(input.value, input.currency, prefix),
        source: 'server',
        ts:
          input.occurred_at === undefined
            ? at
            : checkOccurredAt(input.occurred_at, at, `${prefix}occurred_at`),
        received_at: at,
      };
    } catch (err) {
      if (err instanceof ConversionFieldError) throw invalid(err.field, err.message);
      throw err;
    }
  }

  return { accept };
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('LT_API_VALIDATION', `${field}: ${message}`, { field });
}
