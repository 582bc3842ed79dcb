import { timestamp, uuid } from '../fields.js';

/** Who sent a conversion: a server with the api key, or a browser with the publishable key. */
export const CONVERSION_SOURCES = ['server', 'browser'] as const;

/**
 * Decimal text ("19.9900"): a string on the wire, written as is into a
 * Decimal column, so no value ever passes through a binary float. Not Avro's
 * `decimal` (bytes); readers that do not know this logical type read a string.
 */
export const decimalText = { type: 'string', logicalType: 'decimal-text' } as const;

/**
 * ConversionEvent: what a click led to (a signup, a purchase), from the api
 * (source server) or the collect endpoint (source browser). Keyed and
 * deduplicated by conversion_id; the table's `trust` column is derived from
 * `source` in the row mapping, never carried, so no sender can claim it.
 */
export const conversionEventV1 = {
  type: 'record',
  name: 'ConversionEvent',
  namespace: 'io.linktrack',
  fields: [
    { name: 'conversion_id', type: 'string', doc: "the sender's id (idempotency key), or one generated" },
    { name: 'click_id', type: uuid, doc: 'the newest touch; all zeros when there is none' },
    {
      name: 'touches',
      type: { type: 'array', items: uuid },
      doc: 'the click ids that led here, oldest first; the last one is click_id',
    },
    { name: 'event', type: 'string', doc: 'signup, purchase, ...: a lowercase token' },
    { name: 'value', type: decimalText, doc: "at most 14 integer digits and 4 decimals; '0' when none" },
    { name: 'currency', type: 'string', doc: "ISO 4217; '' when there is no value" },
    { name: 'source', type: 'string', oneOf: CONVERSION_SOURCES },
    { name: 'ts', type: timestamp, doc: 'when it happened: occurred_at for a server, arrival for a browser' },
    { name: 'received_at', type: timestamp, doc: 'when linktrack received it' },
  ],
} as const;

/**
 * The table's `trust`, the version ReplacingMergeTree keeps between copies of
 * one conversion id: a server copy (2) always replaces a browser one (1).
 */
export function conversionTrust(source: string): number {
  return source === 'server' ? 2 : 1;
}
