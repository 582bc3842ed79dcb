import {
  botFields,
  clickIdFields,
  deviceFields,
  geoFields,
  REFERRER_MEDIUMS,
  referrerFields,
  triggerField,
  utmFields,
} from '../fields.js';
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

/**
 * v3: the trigger (link or QR), where the visit came from, every bot signal
 * that fired, and a daily visitor hash for unique visitors.
 */
export const enrichedClickV3 = {
  ...enrichedClickV2,
  fields: [
    ...enrichedClickV2.fields,
    triggerField,
    {
      name: 'referrer_medium',
      type: 'string',
      default: '',
      oneOf: ['', ...REFERRER_MEDIUMS],
      doc: "search, social, email, internal, unknown or direct; '' from an enricher that predates it",
    },
    {
      name: 'paid_click_id_type',
      type: 'string',
      default: '',
      doc: "which ad click id the request carried: gclid, fbclid, msclkid, ttclid, li_fat_id; '' for none",
    },
    {
      name: 'bot_signals',
      type: { type: 'array', items: 'string' },
      default: [],
      doc: 'every bot or scanner signal that fired; bot_reason is the strongest of them',
    },
    { name: 'classifier_version', type: 'int', default: 0, doc: 'the bot classifier that judged this click' },
    {
      name: 'visitor_hash',
      type: 'string',
      default: '',
      doc: "hash of a daily secret salt, the client address and user agent: unique visitors per day; '' when unknown",
    },
  ],
} as const;

/**
 * v4: the raw signals the bot classifier reads that no other field keeps, so
 * `linktrack reclassify` can judge stored clicks again: the client network's
 * ASN and its organisation, and the request headers the signals look at.
 */
export const enrichedClickV4 = {
  ...enrichedClickV3,
  fields: [
    ...enrichedClickV3.fields,
    {
      name: 'asn',
      type: 'long',
      default: 0,
      doc: "the client network's autonomous system number; 0 when unknown",
    },
    { name: 'asn_org', type: 'string', default: '', doc: 'the organisation the ASN is registered to' },
    {
      name: 'request_headers',
      type: { type: 'map', values: 'string' },
      default: {},
      doc: 'the headers the bot and device signals read: sec-fetch-*, sec-purpose, purpose, x-purpose, x-moz, sec-ch-ua*',
    },
  ],
} as const;
