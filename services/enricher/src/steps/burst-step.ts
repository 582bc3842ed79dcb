import { ok, type Step } from '@linktrack/pipeline';
import type { EnrichedClick } from '@linktrack/streams';
import { judge } from '../classifier/classifier.js';
import type { BurstDetector } from '../resources/burst.js';

/**
 * Adds the burst signal. A step of its own, after enrich, because a burst is
 * known only at its third click: the clicks of the burst still in this batch
 * (not yet encoded) are flagged too. Clicks of the burst that left in an
 * earlier batch are excluded from human metrics at query time instead (the
 * scanner_clients table behind linktrack.human_clicks). The client is the
 * visitor hash: the full address and user agent, for one day.
 */
export function createBurstStep(bursts: BurstDetector<EnrichedClick>): Step<EnrichedClick, EnrichedClick> {
  return {
    name: 'burst',
    run(click) {
      if (click.visitor_hash === '') return ok(click);
      const members = bursts.observe(click.visitor_hash, click.slug, click.ts, click);
      if (members) for (const member of members) flagBurst(member);
      return ok(click);
    },
    endBatch: () => bursts.releaseRefs(),
  };
}

/** Adds the burst signal to a click and judges it again. */
export function flagBurst(click: EnrichedClick): void {
  if (click.bot_signals.includes('burst')) return;
  const verdict = judge([...click.bot_signals, 'burst']);
  click.bot_signals = verdict.signals;
  click.bot_reason = verdict.reason;
  click.is_bot = verdict.isBot;
  if (verdict.isBot) click.device_type = 'bot';
}
