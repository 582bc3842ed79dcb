/**
 * TypeScript views of the Avro records. `types.test.ts` checks that every
 * interface has exactly the fields of its schema, so the two cannot drift.
 */
export interface ClickEvent {
  click_id: string;
  ts: number;
  slug: string;
  method: string;
  ip: string;
  user_agent: string;
  referer: string;
  accept_language: string;
  query: string;
  headers: Record<string, string>;
  link_found: boolean;
  destination: string;
}

export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'bot' | 'other';

export interface EnrichedClick {
  click_id: string;
  ts: number;
  slug: string;
  destination: string;
  method: string;
  link_found: boolean;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  referrer: string;
  referrer_domain: string;
  country: string;
  region: string;
  city: string;
  device_type: DeviceType;
  os: string;
  browser: string;
  is_bot: boolean;
  bot_reason: string;
  ip_prefix: string;
  user_agent: string;
  accept_language: string;
  query: string;
}

export type LinkStatus = 'active' | 'disabled';

export interface LinkEvent {
  slug: string;
  url: string;
  destination: string;
  status: LinkStatus;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  created_at: number;
  updated_at: number;
  claim_id: string;
}

export interface DeadLetter {
  ts: number;
  stage: string;
  reason: string;
  error: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  payload: Buffer;
}
