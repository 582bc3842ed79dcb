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

/** v3: a honeypot link, hidden where no person can see it; the enricher flags whoever requests it. */
export const linkEventV3 = {
  ...linkEventV2,
  fields: [
    ...linkEventV2.fields,
    {
      name: 'honeypot',
      type: 'boolean',
      default: false,
      doc: 'meant to be hidden in an email where no person can see it: a client that requests it is a scanner',
    },
  ],
} as const;
