/**
 * Field groups that records compose instead of copying: a click, a link and a
 * conversion all carry the same UTM fields, spelled once here. A group's
 * order is part of every record that uses it (field order is part of the
 * schema fingerprint), so groups are only ever appended to a record.
 */
const timestamp = { type: 'long', logicalType: 'timestamp-millis' } as const;
const uuid = { type: 'string', logicalType: 'uuid' } as const;

/** Which click: every record about a click starts with these. */
export const clickIdFields = [
  { name: 'click_id', type: uuid, doc: 'UUIDv7, time-ordered' },
  { name: 'ts', type: timestamp, doc: 'when the redirect answered' },
  {
    name: 'slug',
    type: 'string',
    doc: "the short link's slug; the requested path for an invalid_path visit",
  },
] as const;

/** The utm_* parameters of a link's destination, '' for each one it lacks. */
export const utmFields = [
  { name: 'utm_source', type: 'string' },
  { name: 'utm_medium', type: 'string' },
  { name: 'utm_campaign', type: 'string' },
  { name: 'utm_term', type: 'string' },
  { name: 'utm_content', type: 'string' },
] as const;

export const referrerFields = [
  { name: 'referrer', type: 'string', doc: 'the Referer header' },
  { name: 'referrer_domain', type: 'string', doc: "the referrer's host without www." },
] as const;

export const geoFields = [
  { name: 'country', type: 'string', doc: "ISO 3166 alpha-2, '' when unknown" },
  { name: 'region', type: 'string' },
  { name: 'city', type: 'string' },
] as const;

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'bot', 'other'] as const;

export const deviceFields = [
  { name: 'device_type', type: 'string', oneOf: DEVICE_TYPES },
  { name: 'os', type: 'string' },
  { name: 'browser', type: 'string' },
] as const;

export const botFields = [
  { name: 'is_bot', type: 'boolean' },
  { name: 'bot_reason', type: 'string', doc: "'' for people; else which signal fired" },
] as const;

/** How the visitor reached the short link: a click on it, or a scan of its QR code. */
export const TRIGGERS = ['link', 'qr'] as const;

export const triggerField = {
  name: 'trigger',
  type: 'string',
  default: 'link',
  oneOf: TRIGGERS,
  doc: 'qr when the request came from the QR code (its marker was on the URL), else link',
} as const;

/** Where a visit came from, by its referrer's domain (see the enricher's referrer list). */
export const REFERRER_MEDIUMS = ['search', 'social', 'email', 'internal', 'unknown', 'direct'] as const;

/**
 * The bot and scanner signals the enricher records in bot_signals; bot_reason
 * is the strongest that fired (the enricher's classifier orders them). Values
 * analysts filter on: a signal is renamed only with a new classifier version.
 */
export const BOT_SIGNALS = [
  'honeypot',
  'scanner_network',
  'scanner_referrer',
  'head_request',
  'prefetch',
  'preview',
  'headless',
  'ua_bot',
  'ua_empty',
  'burst',
  'datacenter',
  'missing_browser_headers',
] as const;

export { timestamp, uuid };
