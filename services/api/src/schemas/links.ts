import { SLUG_PATTERN } from '@linktrack/links';
import { type Static, Type } from 'typebox';

/**
 * The link routes' schemas, in one place. Fastify validates requests and
 * serializes responses with them, and the TypeScript types below are derived
 * from them, so the two cannot drift.
 */
const UtmValue = Type.String({ minLength: 1, maxLength: 200 });

export const UtmInput = Type.Object(
  {
    source: Type.Optional(UtmValue),
    medium: Type.Optional(UtmValue),
    campaign: Type.Optional(UtmValue),
    term: Type.Optional(UtmValue),
    content: Type.Optional(UtmValue),
  },
  { additionalProperties: false },
);

const Slug = Type.String({ pattern: SLUG_PATTERN });
// Longer than a destination may be, so an over-long URL gets its own code (LT_LINK_URL_TOO_LONG).
const Url = Type.String({ minLength: 1, maxLength: 16_384 });
const RedirectStatus = Type.Union([
  Type.Literal(301),
  Type.Literal(302),
  Type.Literal(307),
  Type.Literal(308),
]);
const Tag = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^,\\s][^,]*$' });
const Tags = Type.Array(Tag, { maxItems: 32, uniqueItems: true });
const IsoTime = Type.String({ format: 'date-time' });

export const CreateLinkBody = Type.Object(
  {
    url: Url,
    slug: Type.Optional(Slug),
    utm: Type.Optional(UtmInput),
    redirect_status: Type.Optional(RedirectStatus),
    forward_query: Type.Optional(Type.Boolean()),
    track_conversions: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Tags),
    expires_at: Type.Optional(IsoTime),
    max_human_clicks: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_000_000_000 })),
    honeypot: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateLinkBody = Static<typeof CreateLinkBody>;

export const UpdateLinkBody = Type.Object(
  {
    url: Type.Optional(Url),
    utm: Type.Optional(UtmInput),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    redirect_status: Type.Optional(RedirectStatus),
    forward_query: Type.Optional(Type.Boolean()),
    track_conversions: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Tags),
    expires_at: Type.Optional(Type.Union([IsoTime, Type.Null()])),
    max_human_clicks: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 2_000_000_000 }), Type.Null()]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLinkBody = Static<typeof UpdateLinkBody>;

export const Problem = Type.Object({
  code: Type.String(),
  param: Type.String(),
  message: Type.String(),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
});

export const LinkView = Type.Object({
  slug: Type.String(),
  short_url: Type.String(),
  url: Type.String(),
  destination: Type.String(),
  utm: Type.Object({
    source: Type.String(),
    medium: Type.String(),
    campaign: Type.String(),
    term: Type.String(),
    content: Type.String(),
  }),
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('disabled'),
    Type.Literal('expired'),
    Type.Literal('exhausted'),
  ]),
  redirect_status: Type.Integer(),
  forward_query: Type.Boolean(),
  track_conversions: Type.Boolean(),
  tags: Type.Array(Type.String()),
  expires_at: Type.Union([IsoTime, Type.Null()]),
  max_human_clicks: Type.Union([Type.Integer(), Type.Null()]),
  exhausted_at: Type.Union([IsoTime, Type.Null()]),
  honeypot: Type.Boolean(),
  created_at: IsoTime,
  updated_at: IsoTime,
});
export type LinkView = Static<typeof LinkView>;

/** A link as a change answers it: the link, and what was normalized or is worth a look. */
export const LinkResult = Type.Object({ ...LinkView.properties, warnings: Type.Array(Problem) });
export type LinkResult = Static<typeof LinkResult>;

export const SlugParams = Type.Object({ slug: Slug });

export const ListQuery = Type.Object(
  {
    tag: Type.Optional(Type.String({ maxLength: 64 })),
    campaign: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(
      Type.Union([
        Type.Literal('active'),
        Type.Literal('disabled'),
        Type.Literal('expired'),
        Type.Literal('exhausted'),
      ]),
    ),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const ListResult = Type.Object({
  links: Type.Array(LinkView),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const BulkBody = Type.Object(
  { links: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1_000 }) },
  { additionalProperties: false },
);

const ItemError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});
export const BulkResult = Type.Object({
  created: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      ok: Type.Boolean(),
      link: Type.Optional(LinkResult),
      error: Type.Optional(ItemError),
    }),
  ),
});
export type BulkResult = Static<typeof BulkResult>;

export const QrQuery = Type.Object(
  {
    size: Type.Optional(Type.Integer({ minimum: 64, maximum: 2_048, default: 256 })),
    margin: Type.Optional(Type.Integer({ minimum: 0, maximum: 16, default: 4 })),
  },
  { additionalProperties: false },
);
export type QrQuery = Static<typeof QrQuery>;

export const UtmCheckBody = Type.Union([
  Type.Object({ url: Url }, { additionalProperties: false }),
  Type.Object({ utm: UtmInput }, { additionalProperties: false }),
]);
export type UtmCheckBody = Static<typeof UtmCheckBody>;

export const UtmCheckResult = Type.Object({
  normalized: Type.Object({
    url: Type.Optional(Type.String()),
    utm: Type.Record(Type.String(), Type.String()),
  }),
  problems: Type.Array(Problem),
});

export const SurvivalBody = Type.Object(
  {
    url: Url,
    expect_utm: Type.Optional(UtmInput),
  },
  { additionalProperties: false },
);
export type SurvivalBody = Static<typeof SurvivalBody>;

export const SurvivalResult = Type.Object({
  ok: Type.Boolean(),
  final_url: Type.String(),
  hops: Type.Array(Type.Object({ url: Type.String(), status: Type.Integer() })),
  lost: Type.Array(Type.String()),
  changed: Type.Array(Type.Object({ param: Type.String(), from: Type.String(), to: Type.String() })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});
