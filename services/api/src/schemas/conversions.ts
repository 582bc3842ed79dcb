import { CONVERSION_ID_PATTERN, MAX_TOUCHES } from '@linktrack/links';
import { type Static, Type } from 'typebox';

/**
 * POST /v1/conversions: one conversion, or a batch under `conversions`. The
 * schema holds the shape (types, lengths, patterns); the conversion service
 * normalizes and checks the rest (event name, decimal value, currency list,
 * times) with the checks the collect endpoint shares.
 */
const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});

export const ConversionInput = Type.Object(
  {
    click_id: Uuid,
    event: Type.String({ minLength: 1, maxLength: 200 }),
    value: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Number()])),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    // Integer first: Fastify's Ajv coerces types, and the string branch would turn epoch ms into text.
    occurred_at: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 64 })])),
    id: Type.Optional(Type.String({ pattern: CONVERSION_ID_PATTERN })),
    touches: Type.Optional(Type.Array(Uuid, { maxItems: MAX_TOUCHES })),
  },
  { additionalProperties: false },
);
export type ConversionInput = Static<typeof ConversionInput>;

/** One conversion's fields at the top level, or `conversions`: never both (the service says which is wrong). */
export const ConversionsBody = Type.Object(
  {
    ...Type.Partial(ConversionInput).properties,
    conversions: Type.Optional(Type.Array(ConversionInput, { minItems: 1, maxItems: 1_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ConversionsBody = Static<typeof ConversionsBody>;

export const ConversionsAccepted = Type.Object({
  accepted: Type.Integer(),
  /** The conversion ids, in the order sent: the given `id`, or one generated. */
  ids: Type.Array(Type.String()),
});
export type ConversionsAccepted = Static<typeof ConversionsAccepted>;
