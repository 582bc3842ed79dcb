import type { BotSignal } from '@linktrack/streams';
import type { ClassifierContext, ClassifierInput, Signal } from './input.js';
import { burstSignal } from './signals/burst.js';
import { datacenterSignal } from './signals/datacenter.js';
import { headRequestSignal } from './signals/head-request.js';
import { headlessSignal } from './signals/headless.js';
import { honeypotSignal } from './signals/honeypot.js';
import { missingBrowserHeadersSignal } from './signals/missing-browser-headers.js';
import { prefetchSignal } from './signals/prefetch.js';
import { previewSignal } from './signals/preview.js';
import { scannerNetworkSignal } from './signals/scanner-network.js';
import { scannerReferrerSignal } from './signals/scanner-referrer.js';
import { uaBotSignal } from './signals/ua-bot.js';
import { uaEmptySignal } from './signals/ua-empty.js';

/**
 * The code's version of the classification. classifier_version is this times
 * 1000 plus the version of data/scanner-networks.json, so a click judged by
 * older rules or older lists can be found (and re-classified).
 */
export const CLASSIFIER_CODE_VERSION = 1;

/**
 * Every signal, strongest first: every signal that fires is recorded, and
 * bot_reason is the first of them in this list. The order only decides the
 * reason, never whether a click is a bot.
 */
export const SIGNALS: readonly Signal[] = [
  // Proof rather than evidence: no person can see a honeypot link.
  honeypotSignal,
  // Who it was, by name: an email security scanner's network, then a
  // link-protection referrer. Named before anything about the request, since
  // scanners also send HEADs, prefetches and browser-like agents.
  scannerNetworkSignal,
  scannerReferrerSignal,
  // What the request was: no navigation happened. Ahead of what the agent
  // says, so HEAD checks and prefetches are counted as such whatever their
  // user agent (a HEAD from curl is a head_request, with ua_bot recorded too).
  headRequestSignal,
  prefetchSignal,
  // What the agent says it is, most specific first: an unfurler and a
  // headless browser are isbot matches too, and name the kind of bot better.
  previewSignal,
  headlessSignal,
  uaBotSignal,
  uaEmptySignal,
  // Behaviour and network: circumstantial, so they name the reason only when
  // nothing more specific fired.
  burstSignal,
  datacenterSignal,
  // Weak: recorded, but never a bot alone (see its module).
  missingBrowserHeadersSignal,
];

const RANK = new Map<string, number>(SIGNALS.map((s, i) => [s.name, i]));
const WEAK = new Set<string>(SIGNALS.filter((s) => s.weak).map((s) => s.name));

export interface Verdict {
  /** Every signal that fired, strongest first. */
  signals: BotSignal[];
  /** The strongest signal that counts; '' for a person. */
  reason: BotSignal | '';
  isBot: boolean;
}

const PERSON: Verdict = Object.freeze({
  signals: Object.freeze([]) as unknown as BotSignal[],
  reason: '',
  isBot: false,
});

export interface Classifier {
  readonly version: number;
  /** The signals in force, strongest first. */
  readonly signals: readonly BotSignal[];
  classify(input: ClassifierInput): Verdict;
}

/** A classifier over every signal not turned off (LINKTRACK_BOT_SIGNALS_OFF). */
export function createClassifier(ctx: ClassifierContext, off: readonly string[] = []): Classifier {
  const active = SIGNALS.filter((s) => !off.includes(s.name));
  return {
    version: CLASSIFIER_CODE_VERSION * 1000 + ctx.networks.version,
    signals: active.map((s) => s.name),
    classify(input) {
      // Most clicks fire nothing: no array is made for them.
      let fired: BotSignal[] | null = null;
      for (const signal of active) {
        if (!signal.test(input, ctx)) continue;
        if (fired === null) fired = [];
        fired.push(signal.name);
      }
      if (fired === null) return PERSON;
      // Already in rank order: the list is.
      const reason = fired.find((s) => !WEAK.has(s)) ?? '';
      return { signals: fired, reason, isBot: reason !== '' };
    },
  };
}

/** The verdict for a set of signals (already in rank order, or not). */
export function judge(signals: readonly string[]): Verdict {
  const unique = signals as readonly BotSignal[];
  const ordered = unique.length > 1 ? [...new Set(unique)].sort((a, b) => rank(a) - rank(b)) : [...unique];
  const reason = ordered.find((s) => !WEAK.has(s)) ?? '';
  return { signals: ordered, reason, isBot: reason !== '' };
}

function rank(signal: string): number {
  return RANK.get(signal) ?? SIGNALS.length;
}
