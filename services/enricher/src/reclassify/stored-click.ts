import type { BotSignal, DeviceType } from '@linktrack/streams';

/** The columns of a stored click that re-classification reads (linktrack.clicks). */
export interface StoredClick {
  click_id: string;
  /** Milliseconds since the epoch. */
  ts: number;
  slug: string;
  method: string;
  user_agent: string;
  accept_language: string;
  referrer_domain: string;
  ip_prefix: string;
  asn: number;
  asn_org: string;
  request_headers: Record<string, string>;
  bot_signals: string[];
  bot_reason: string;
  is_bot: boolean;
  classifier_version: number;
  device_type: string;
  visitor_hash: string;
}

/** What re-classification changes in a stored click. */
export interface Reclassified {
  click_id: string;
  is_bot: boolean;
  bot_reason: BotSignal | '';
  bot_signals: BotSignal[];
  classifier_version: number;
  device_type: DeviceType;
  asn: number;
  asn_org: string;
}
