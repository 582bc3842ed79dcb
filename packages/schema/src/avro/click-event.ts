/**
 * ClickEvent: what the redirect saw, before any enrichment. Field names cross
 * the wire, so they are snake_case exactly as stored downstream.
 * Evolve only by appending fields with defaults, as a new version below.
 */
export const clickEventV1 = {
  type: 'record',
  name: 'ClickEvent',
  namespace: 'io.linktrack',
  fields: [
    { name: 'click_id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'slug', type: 'string' },
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
      doc: 'false for an orphan visit: the slug matched no active link',
    },
    { name: 'destination', type: 'string', doc: 'where the redirect sent the visitor, "" for orphans' },
  ],
} as const;
