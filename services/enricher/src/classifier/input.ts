import type { BotSignal } from '@linktrack/streams';
import type { NetworkLists } from '../resources/networks.js';

/** What the user agent says about the client; worked out once per user agent and cached with its parse. */
export interface AgentFacts {
  /** isbot matches it. */
  crawler: boolean;
  /** A link unfurler or app link checker (see signals/preview.ts). */
  preview: boolean;
  /** A headless or automated browser (see signals/headless.ts). */
  headless: boolean;
  /** It claims to be a browser people use: a Mozilla/ agent ua-parser-js names, and no crawler. */
  browser: boolean;
}

/**
 * Everything the classifier reads about one click. The enricher fills it from
 * the raw event; `linktrack reclassify` from a stored row (the client's
 * network address instead of the full one, the recorded burst and honeypot).
 */
export interface ClassifierInput {
  method: string;
  userAgent: string;
  agent: AgentFacts;
  acceptLanguage: string;
  /** The signal headers the redirect kept, lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The referrer's host without www., '' for none. */
  referrerDomain: string;
  ip: string;
  asn: number;
  asnOrg: string;
  /** The link is a honeypot. */
  honeypot: boolean;
  /** The client is bursting (see resources/burst.ts). */
  burst: boolean;
}

export interface ClassifierContext {
  networks: NetworkLists;
}

/**
 * One signal: a name, a pure test of the click, and whether it is weak. A weak
 * signal is recorded when it fires but makes a click a bot only together with
 * a strong one. Every signal can be turned off (LINKTRACK_BOT_SIGNALS_OFF).
 */
export interface Signal {
  readonly name: BotSignal;
  readonly weak?: boolean;
  test(input: ClassifierInput, ctx: ClassifierContext): boolean;
}
