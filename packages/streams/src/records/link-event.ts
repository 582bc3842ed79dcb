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
