import { type Static, Type } from 'typebox';

/** POST /v1/sql: the request and answer, validated and serialized from these; the types derive from them. */
export const SqlBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 100_000 }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    // Exact by default: replayed copies collapse (FINAL on every table that supports it).
    final: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type SqlBody = Static<typeof SqlBody>;

export const SqlResult = Type.Object({
  data: Type.Array(Type.Object({}, { additionalProperties: true })),
  rows: Type.Integer(),
});
export type SqlResult = Static<typeof SqlResult>;
