/**
 * An independent model of what linktrack's analytics must answer, computed in
 * plain TypeScript from what a test did (which clicks it made, which were
 * people, which conversions it sent), never from what the engine stored.
 */
export type Model = 'last' | 'first' | 'linear' | 'position';
export const MODELS: readonly Model[] = ['last', 'first', 'linear', 'position'];

export interface RefClick {
  id: string;
  /** The order the test made the clicks in: the redirect stamps them in this order. */
  seq: number;
  slug: string;
  campaign: string;
  source: string;
  medium: string;
  human: boolean;
  visitor: string;
  /**
   * When the first-party script confirmed its landing page, as the number of
   * conversions sent before (the confirmation comes after those and before the
   * rest); null when it never did.
   */
  landedAfter: number | null;
}

export interface RefConversion {
  id: string;
  touches: string[];
  event: string;
  value: number;
  /** The order the test sent conversions in: their arrival times follow it. */
  seq: number;
}

export interface Credit {
  conversion: RefConversion;
  click: RefClick;
  weight: number;
}

/** The credit each model gives: human touches only, oldest first. */
export function credits(clicks: Map<string, RefClick>, conversions: RefConversion[], model: Model): Credit[] {
  const out: Credit[] = [];
  for (const conversion of latestById(conversions)) {
    const human = conversion.touches
      .map((id) => clicks.get(id))
      .filter((c): c is RefClick => c?.human === true)
      .sort((a, b) => a.seq - b.seq);
    const n = human.length;
    human.forEach((click, i) => {
      const weight = weightOf(model, i, n);
      if (weight > 0) out.push({ conversion, click, weight });
    });
  }
  return out;
}

function weightOf(model: Model, i: number, n: number): number {
  switch (model) {
    case 'last':
      return i === n - 1 ? 1 : 0;
    case 'first':
      return i === 0 ? 1 : 0;
    case 'linear':
      return 1 / n;
    case 'position':
      if (n === 1) return 1;
      if (n === 2) return 0.5;
      return i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2);
  }
}

/** One conversion per id: the one sent last. */
export function latestById(conversions: RefConversion[]): RefConversion[] {
  const byId = new Map<string, RefConversion>();
  for (const c of [...conversions].sort((a, b) => a.seq - b.seq)) byId.set(c.id, c);
  return [...byId.values()];
}

/** How a conversion is reported: credited to a person, found on bots only, or with no known click. */
export function outcomeOf(
  clicks: Map<string, RefClick>,
  conversion: RefConversion,
): 'human' | 'bot' | 'unattributed' {
  const found = conversion.touches.map((id) => clicks.get(id)).filter((c) => c !== undefined);
  if (found.some((c) => c.human)) return 'human';
  return found.length > 0 ? 'bot' : 'unattributed';
}

export interface Metrics {
  clicks: number;
  human_clicks: number;
  bot_clicks: number;
  unique_visitors: number;
  conversions: number;
  revenue: number;
  conversion_rate: number;
}

/** Summary metrics over the clicks and credits a filter keeps. */
export function metricsOf(clicks: RefClick[], credited: Credit[]): Metrics {
  const human = clicks.filter((c) => c.human);
  const conversions = round(
    credited.reduce((s, c) => s + c.weight, 0),
    6,
  );
  return {
    clicks: clicks.length,
    human_clicks: human.length,
    bot_clicks: clicks.length - human.length,
    unique_visitors: new Set(human.map((c) => c.visitor)).size,
    conversions,
    revenue: round(
      credited.reduce((s, c) => s + c.conversion.value * c.weight, 0),
      4,
    ),
    conversion_rate: human.length === 0 ? 0 : conversions / human.length,
  };
}

/**
 * windowFunnel's level for each human click: the longest prefix of `steps`
 * met in order. 'click' is the click itself, 'landing' its confirmation, any
 * other step a conversion event credited to it by last click, in the order
 * they were sent.
 */
export function funnelLevels(
  clicks: RefClick[],
  lastCredits: Credit[],
  steps: string[],
): Map<string, number> {
  const levels = new Map<string, number>();
  for (const click of clicks.filter((c) => c.human)) {
    const events = [
      ...(click.landedAfter === null ? [] : [{ step: 'landing', seq: click.landedAfter - 0.5 }]),
      ...lastCredits
        .filter((c) => c.click.id === click.id)
        .map((c) => ({ step: c.conversion.event, seq: c.conversion.seq })),
    ].sort((a, b) => a.seq - b.seq);
    let level = 1;
    let after = Number.NEGATIVE_INFINITY;
    for (const step of steps.slice(1)) {
      const next = events.find((e) => e.step === step && e.seq > after);
      if (!next) break;
      level++;
      after = next.seq;
    }
    levels.set(click.id, level);
  }
  return levels;
}

/** Counts per step: how many clicks reached at least that step. */
export function funnelCounts(levels: Iterable<number>, steps: number): number[] {
  const counts = new Array<number>(steps).fill(0);
  for (const level of levels) for (let i = 0; i < level; i++) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
