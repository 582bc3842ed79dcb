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
    { name: 'status', type: 'string', doc: 'active or disabled' },
    { name: 'utm_source', type: 'string' },
    { name: 'utm_medium', type: 'string' },
    { name: 'utm_campaign', type: 'string' },
    { name: 'utm_term', type: 'string' },
    { name: 'utm_content', type: 'string' },
    { name: 'created_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'updated_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'claim_id',
      type: 'string',
      default: '',
      doc: 'set by the create that claimed the slug; every later state keeps it. Of two creates of one slug, the first in the topic wins',
    },
  ],
} as const;
