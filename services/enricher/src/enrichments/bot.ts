import type { EnrichedClick } from '@linktrack/streams';
import type { ClassifierInput } from '../classifier/input.js';
import type { Enrichment } from './enrichment.js';

/**
 * Every bot and scanner signal that fired, the strongest as the reason, and
 * the verdict (classifier/classifier.ts). Runs last: it reads the ASN and the
 * referrer the enrichments before it found, and a bot's device_type becomes 'bot'.
 * Bursts are added afterwards by the burst step, which sees the clicks around this one.
 */
export const botEnrichment: Enrichment = {
  name: 'bot',
  run: (click, ctx, soFar) => {
    const input: ClassifierInput = {
      method: click.method,
      userAgent: click.user_agent,
      agent: ctx.userAgents.parse(click.user_agent).agent,
      acceptLanguage: click.accept_language,
      headers: click.headers,
      referrerDomain: soFar.referrer_domain,
      ip: click.ip,
      asn: soFar.asn,
      asnOrg: soFar.asn_org,
      honeypot: click.honeypot,
      burst: false,
    };
    const verdict = ctx.classifier.classify(input);
    const out: Partial<EnrichedClick> = {
      is_bot: verdict.isBot,
      bot_reason: verdict.reason,
      bot_signals: verdict.signals,
      classifier_version: ctx.classifier.version,
    };
    if (verdict.isBot) out.device_type = 'bot';
    return out;
  },
};
