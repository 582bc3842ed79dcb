import { ok, type Step } from '@linktrack/pipeline';
import type { EnrichedClick } from '@linktrack/streams';
import type { Metrics } from '@linktrack/telemetry';

/**
 * Counts the batch's verdicts (linktrack_enricher_clicks_total by is_bot and
 * bot_reason) once the batch is through: one increment per verdict and batch,
 * not per click, and after the burst step revised what it revised.
 */
export function createVerdictStep(metrics: Metrics): Step<EnrichedClick, EnrichedClick> {
  const counts = new Map<string, number>();
  return {
    name: 'verdict',
    run(click) {
      counts.set(click.bot_reason, (counts.get(click.bot_reason) ?? 0) + 1);
      return ok(click);
    },
    endBatch() {
      for (const [reason, n] of counts)
        metrics.enricherClicks.inc({ is_bot: reason === '' ? '0' : '1', reason }, n);
      counts.clear();
    },
  };
}
