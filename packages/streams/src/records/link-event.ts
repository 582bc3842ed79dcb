import { timestamp, utmFields } from '../fields.js';

export const LINK_STATUSES = ['active', 'disabled'] as const;

/**
 * LinkEvent: the full current state of one short link, keyed by slug on a
 * compacted topic, so the latest event per slug is the link.
 */
export const linkEventV1 = {
  type: 'record',
  name: 'LinkEvent',
  namespace: 'io.linktrack',
  fields: [
    { name: 'slug', type: 'string' },
    { name: 'url', type: 'string', doc: 'the URL as given, before UTMs were applied' },
    { name: 'destination', type: 'string', doc: 'the URL the redirect sends to' },
    { name: 'status', type: 'string', oneOf: LINK_STATUSES },
    ...utmFields,
    { name: 'created_at', type: timestamp },
    { name: 'updated_at', type: timestamp },
  ],
} as const;

/** v2: the create that claimed the slug, so two api instances racing for one slug agree on the winner. */
export const linkEventV2 = {
  ...linkEventV1,
  fields: [
    ...linkEventV1.fields,
    {
      name: 'claim_id',
      type: 'string',
      default: '',
      doc: 'set by the create that claimed the slug; every later state keeps it. Of two creates of one slug, the first in the topic wins',
    },
  ],
} as const;

/**
 * v3: how the link redirects (status, forwarding, click id), its tags and
 * lifecycle (expiry, a cap on human clicks and when it was reached), and
 * whether it is a honeypot hidden from people.
 */
export const linkEventV3 = {
  ...linkEventV2,
  fields: [
    ...linkEventV2.fields,
    {
      name: 'redirect_status',
      type: 'int',
      default: 0,
      doc: '301, 302, 307 or 308; 0 for the configured default',
    },
    { name: 'forward_query', type: 'boolean', default: true, doc: "append the visitor's query parameters" },
    {
      name: 'track_conversions',
      type: 'boolean',
      default: true,
      doc: 'append the click id (lt_cid) for conversions',
    },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
    { name: 'expires_at', type: ['null', timestamp], default: null, doc: 'after this the link answers 410' },
    {
      name: 'max_human_clicks',
      type: 'int',
      default: 0,
      doc: 'human clicks allowed before the link answers 410; 0 for no cap',
    },
    {
      name: 'exhausted_at',
      type: ['null', timestamp],
      default: null,
      doc: 'when the human-click cap was reached',
    },
    {
      name: 'honeypot',
      type: 'boolean',
      default: false,
      doc: 'hidden from people: whoever requests it is a scanner',
    },
  ],
} as const;
