import { botFields, clickIdFields, deviceFields, geoFields, referrerFields, utmFields } from '../fields.js';
import { visitTypeField } from './click-event.js';

/** EnrichedClick: a ClickEvent after geo, device, bot and UTM enrichment; one row of linktrack.clicks. */
export const enrichedClickV1 = {
  type: 'record',
  name: 'EnrichedClick',
  namespace: 'io.linktrack',
  fields: [
    ...clickIdFields,
    { name: 'destination', type: 'string' },
    { name: 'method', type: 'string' },
    { name: 'link_found', type: 'boolean', doc: 'true exactly when visit_type is redirect' },
    ...utmFields,
    ...referrerFields,
    ...geoFields,
    ...deviceFields,
    ...botFields,
    { name: 'ip_prefix', type: 'string', doc: 'IPv4 /24 or IPv6 /48, never the full address' },
    { name: 'user_agent', type: 'string' },
    { name: 'accept_language', type: 'string' },
    { name: 'query', type: 'string' },
  ],
} as const;

/** v2: the click's visit_type, passed through from the ClickEvent. */
export const enrichedClickV2 = {
  ...enrichedClickV1,
  fields: [...enrichedClickV1.fields, visitTypeField],
} as const;
