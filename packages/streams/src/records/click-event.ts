import { clickIdFields, triggerField } from '../fields.js';
import { VISIT_TYPES } from '../visit-type.js';

/**
 * ClickEvent: what the redirect saw, before any enrichment. Field names cross
 * the wire, so they are snake_case exactly as stored downstream. A released
 * version never changes; the next one appends fields with defaults, so that
 * older and newer readers resolve each other's bytes.
 */
export const clickEventV1 = {
  type: 'record',
  name: 'ClickEvent',
  namespace: 'io.linktrack',
  fields: [
    ...clickIdFields,
    { name: 'method', type: 'string' },
    { name: 'ip', type: 'string' },
    { name: 'user_agent', type: 'string' },
    { name: 'referer', type: 'string' },
    { name: 'accept_language', type: 'string' },
    { name: 'query', type: 'string', doc: 'the short link request query string, without "?"' },
    {
      name: 'headers',
      type: { type: 'map', values: 'string' },
      doc: 'sec-fetch-*, sec-purpose/purpose, sec-ch-ua*',
    },
    {
      name: 'link_found',
      type: 'boolean',
      doc: 'true exactly when visit_type is redirect; kept for readers that predate visit_type',
    },
    { name: 'destination', type: 'string', doc: 'where the redirect sent the visitor, "" otherwise' },
  ],
} as const;

export const visitTypeField = {
  name: 'visit_type',
  type: ['null', 'string'],
  default: null,
  oneOf: VISIT_TYPES,
  doc: 'why the request did or did not redirect; null from writers that predate it',
} as const;

/** v2: why the request did or did not redirect. */
export const clickEventV2 = {
  ...clickEventV1,
  fields: [...clickEventV1.fields, visitTypeField],
} as const;

/** v3: whether the visitor clicked the link or scanned its QR code. */
export const clickEventV3 = {
  ...clickEventV2,
  fields: [...clickEventV2.fields, triggerField],
} as const;

/** v4: the link is a honeypot, hidden where no person can see it; whoever requests it is a scanner. */
export const clickEventV4 = {
  ...clickEventV3,
  fields: [
    ...clickEventV3.fields,
    {
      name: 'honeypot',
      type: 'boolean',
      default: false,
      doc: 'the link was created with honeypot: true (hidden in an email, where no person can see it)',
    },
  ],
} as const;
