import { type Static, Type } from 'typebox';
import { DIMENSION_NAMES, GROUP_COLUMNS, MODELS } from '../analytics/query-builder.js';

/**
 * The analytics routes' schemas. Query strings only: every parameter is
 * validated here (an unknown one is refused, naming it); what cannot be said
 * in a schema (a time that is ISO-8601 or epoch ms, from before to, the
 * funnel's steps and window) is checked by the route, naming the field too.
 */
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const FilterValue = Type.String({ minLength: 1, maxLength: 200 });
/** ISO-8601 or epoch milliseconds; parsed and ordered by parseRange. */
const Time = Type.String({ minLength: 1, maxLength: 40 });

const Filters = {
  slug: Type.Optional(FilterValue),
  campaign: Type.Optional(FilterValue),
  source: Type.Optional(FilterValue),
  medium: Type.Optional(FilterValue),
};
const Common = {
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  model: Type.Optional(literals(MODELS)),
  include_bots: Type.Optional(Type.Boolean({ default: false })),
  ...Filters,
};

export const SummaryQuery = Type.Object(Common, { additionalProperties: false });
export type SummaryQuery = Static<typeof SummaryQuery>;

/** The numbers a summary and each breakdown row give. */
const Metrics = {
  clicks: Type.Integer(),
  human_clicks: Type.Integer(),
  bot_clicks: Type.Integer(),
  unique_visitors: Type.Integer(),
  conversions: Type.Number(),
  conversion_rate: Type.Number(),
  revenue: Type.Number(),
};

export const SummaryResult = Type.Object({
  ...Metrics,
  unattributed_conversions: Type.Integer(),
  bot_conversions: Type.Integer(),
  model: Type.String(),
  from: Type.String(),
  to: Type.String(),
});
export type SummaryResult = Static<typeof SummaryResult>;

export const BreakdownQuery = Type.Object(
  {
    dimension: literals(DIMENSION_NAMES),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 50 })),
    ...Common,
  },
  { additionalProperties: false },
);
export type BreakdownQuery = Static<typeof BreakdownQuery>;

export const BreakdownRow = Type.Object({ value: Type.String(), ...Metrics });
export type BreakdownRow = Static<typeof BreakdownRow>;

export const BreakdownResult = Type.Object({
  dimension: Type.String(),
  rows: Type.Array(BreakdownRow),
});

export const TimeseriesQuery = Type.Object(
  { interval: Type.Optional(literals(['hour', 'day'] as const)), ...Common },
  { additionalProperties: false },
);
export type TimeseriesQuery = Static<typeof TimeseriesQuery>;

export const TimeseriesResult = Type.Object({
  interval: Type.String(),
  points: Type.Array(
    Type.Object({
      ts: Type.String(),
      clicks: Type.Integer(),
      human_clicks: Type.Integer(),
      bot_clicks: Type.Integer(),
      conversions: Type.Number(),
      revenue: Type.Number(),
    }),
  ),
});
export type TimeseriesResult = Static<typeof TimeseriesResult>;

export const FunnelQuery = Type.Object(
  {
    steps: Type.String({ minLength: 1, maxLength: 2_000 }),
    window: Type.Optional(Type.String({ minLength: 2, maxLength: 12, default: '7d' })),
    group_by: Type.Optional(literals(Object.keys(GROUP_COLUMNS) as (keyof typeof GROUP_COLUMNS)[])),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    include_bots: Type.Optional(Type.Boolean({ default: false })),
    ...Filters,
  },
  { additionalProperties: false },
);
export type FunnelQuery = Static<typeof FunnelQuery>;

export const FunnelResult = Type.Object({
  steps: Type.Array(Type.String()),
  window_seconds: Type.Integer(),
  groups: Type.Array(Type.Object({ group: Type.String(), counts: Type.Array(Type.Integer()) })),
});
export type FunnelResult = Static<typeof FunnelResult>;

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(literals(['csv', 'ndjson', 'parquet'] as const)),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    ...Filters,
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;
