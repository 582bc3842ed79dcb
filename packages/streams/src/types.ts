import type { RecordOf } from '@linktrack/schema';
import type { BOT_SIGNALS, DEVICE_TYPES, REFERRER_MEDIUMS, TRIGGERS } from './fields.js';
import type { clickConfirmationV1 } from './records/click-confirmation.js';
import type { clickEventV4 } from './records/click-event.js';
import type { CONVERSION_SOURCES, conversionEventV1 } from './records/conversion-event.js';
import type { deadLetterV1 } from './records/dead-letter.js';
import type { enrichedClickV4 } from './records/enriched-click.js';
import type { LINK_STATUSES, linkEventV3 } from './records/link-event.js';

/** The records as TypeScript sees them: derived from the current schemas, so they cannot drift. */
export type ClickEvent = RecordOf<typeof clickEventV4>;
export type EnrichedClick = RecordOf<typeof enrichedClickV4>;
export type LinkEvent = RecordOf<typeof linkEventV3>;
export type DeadLetter = RecordOf<typeof deadLetterV1>;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export type LinkStatus = (typeof LINK_STATUSES)[number];
export type Trigger = (typeof TRIGGERS)[number];
export type ReferrerMedium = (typeof REFERRER_MEDIUMS)[number];
export type ClickConfirmation = RecordOf<typeof clickConfirmationV1>;
export type BotSignal = (typeof BOT_SIGNALS)[number];
export type ConversionEvent = RecordOf<typeof conversionEventV1>;
export type ConversionSource = (typeof CONVERSION_SOURCES)[number];
