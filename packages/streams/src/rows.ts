import { conversionTrust } from './records/conversion-event.js';
import type { RowMapping } from './row-format.js';
import type { ClickConfirmation, ConversionEvent, DeadLetter, EnrichedClick, LinkEvent } from './types.js';
import { legacyVisitType } from './visit-type.js';

/**
 * How records become rows, beyond "each field under its column, booleans as
 * 0/1": the columns computed from the record. Timestamps are epoch
 * milliseconds, which the row formats write as DateTime64(3).
 */
export const clickRowMapping: RowMapping<EnrichedClick> = {
  derived: {
    // An enricher that predates visit_type leaves it null; link_found then says what it can.
    visit_type: clickVisitType,
    link_found: (c) => (clickVisitType(c) === 'redirect' ? 1 : 0),
  },
};

function clickVisitType(c: EnrichedClick): string {
  return c.visit_type ?? legacyVisitType(c.link_found);
}

export const linkRowMapping: RowMapping<LinkEvent> = {};

export const deadLetterRowMapping: RowMapping<DeadLetter> = {
  renamed: { payload: 'payload_base64' },
  derived: { payload_base64: (d) => d.payload.toString('base64') },
};

export const clickConfirmationRowMapping: RowMapping<ClickConfirmation> = {};

/** `trust` is no field: it follows from `source`, so a record cannot claim more than its sender earns. */
export const conversionRowMapping: RowMapping<ConversionEvent> = {
  derived: { trust: (c) => conversionTrust(c.source) },
};
