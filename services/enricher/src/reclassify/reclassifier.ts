import type { BotSignal } from '@linktrack/streams';
import { type Classifier, judge } from '../classifier/classifier.js';
import type { ClassifierInput } from '../classifier/input.js';
import { deviceFromHints } from '../enrichments/device.js';
import type { AsnLookup } from '../resources/asn.js';
import { type BurstDetector, createBurstDetector } from '../resources/burst.js';
import type { UserAgentParser } from '../resources/user-agent.js';
import type { Reclassified, StoredClick } from './stored-click.js';

/** Reasons stored by the first classifier (before every signal was recorded), as signals. */
const LEGACY_REASONS: Readonly<Record<string, BotSignal>> = {
  user_agent: 'ua_bot',
  head_request: 'head_request',
  prefetch: 'prefetch',
  empty_user_agent: 'ua_empty',
};

export interface Reclassifier {
  /**
   * Feeds one stored click, in time order. Returns the clicks whose verdict is
   * now settled and differs from what is stored: this one, or earlier ones a
   * burst reached back to (a burst is known only at its third click).
   */
  next(click: StoredClick): Reclassified[];
  /** The verdicts still open (the last seconds' clicks, which a burst could still reach). */
  finish(): Reclassified[];
}

interface Pending {
  stored: StoredClick;
  result: Reclassified;
}

/**
 * Judges stored clicks again with today's classifier, from what each row kept:
 * the user agent, method, Accept-Language, the signal headers, the referrer's
 * domain, the ASN, and the client's network (the /24 or /48; the full address
 * was never stored, so scanner ranges narrower than that cannot match). The
 * burst signal is worked out again over the clicks' visitor hashes (the full
 * address and user agent, for one day), in time order. The honeypot signal is
 * kept as recorded: it is a fact about the link that was requested.
 */
export function createReclassifier(deps: {
  classifier: Classifier;
  userAgents: UserAgentParser;
  asn: AsnLookup;
  /** Burst detection off (LINKTRACK_BOT_SIGNALS_OFF=burst). */
  burstOff?: boolean;
}): Reclassifier {
  const bursts: BurstDetector<Pending> | null = deps.burstOff ? null : createBurstDetector<Pending>();
  // Clicks whose verdict a later burst could still change, oldest first.
  const open: Pending[] = [];
  const HORIZON_MS = 10_000;

  const settle = (until: number): Reclassified[] => {
    const out: Reclassified[] = [];
    while (open.length > 0 && (open[0] as Pending).stored.ts < until) {
      const p = open.shift() as Pending;
      if (changed(p.stored, p.result)) out.push(p.result);
    }
    return out;
  };

  return {
    next(stored) {
      const result = judgeStored(stored, deps);
      const pending: Pending = { stored, result };
      if (bursts && stored.visitor_hash !== '') {
        const members = bursts.observe(stored.visitor_hash, stored.slug, stored.ts, pending);
        if (members) for (const m of members) addBurst(m.result);
      }
      open.push(pending);
      return settle(stored.ts - HORIZON_MS);
    },
    finish: () => settle(Number.POSITIVE_INFINITY),
  };
}

function judgeStored(
  stored: StoredClick,
  deps: { classifier: Classifier; userAgents: UserAgentParser; asn: AsnLookup },
): Reclassified {
  const parsed = deps.userAgents.parse(stored.user_agent);
  // The network's first address: it matches every range at least as wide as the network.
  const ip = stored.ip_prefix.slice(0, Math.max(0, stored.ip_prefix.lastIndexOf('/')));
  let { asn, asn_org } = stored;
  if (asn === 0 && ip !== '') {
    // Rows from before the ASN was stored: look their network up now.
    const found = deps.asn.lookup(ip);
    if (found) {
      asn = found.asn;
      asn_org = found.org;
    }
  }
  const input: ClassifierInput = {
    method: stored.method,
    userAgent: stored.user_agent,
    agent: parsed.agent,
    acceptLanguage: stored.accept_language,
    headers: stored.request_headers,
    referrerDomain: stored.referrer_domain,
    ip,
    asn,
    asnOrg: asn_org,
    honeypot: stored.bot_signals.includes('honeypot'),
    burst: false,
  };
  let verdict = deps.classifier.classify(input);
  // A row stored without its headers cannot show a prefetch again: keep the one it recorded.
  const recorded = [...stored.bot_signals, LEGACY_REASONS[stored.bot_reason] ?? ''];
  if (
    Object.keys(stored.request_headers).length === 0 &&
    recorded.includes('prefetch') &&
    !verdict.signals.includes('prefetch')
  )
    verdict = judge([...verdict.signals, 'prefetch']);
  const device = verdict.isBot
    ? 'bot'
    : parsed.inApp
      ? parsed.device_type
      : deviceFromHints(parsed.device_type, stored.request_headers);
  return {
    click_id: stored.click_id,
    is_bot: verdict.isBot,
    bot_reason: verdict.reason,
    bot_signals: verdict.signals,
    classifier_version: deps.classifier.version,
    device_type: device,
    asn,
    asn_org,
  };
}

function addBurst(result: Reclassified): void {
  if (result.bot_signals.includes('burst')) return;
  const verdict = judge([...result.bot_signals, 'burst']);
  result.bot_signals = verdict.signals;
  result.bot_reason = verdict.reason;
  result.is_bot = verdict.isBot;
  if (verdict.isBot) result.device_type = 'bot';
}

function changed(stored: StoredClick, now: Reclassified): boolean {
  return (
    stored.is_bot !== now.is_bot ||
    stored.bot_reason !== now.bot_reason ||
    stored.classifier_version !== now.classifier_version ||
    stored.device_type !== now.device_type ||
    stored.asn !== now.asn ||
    stored.bot_signals.join(',') !== now.bot_signals.join(',')
  );
}
