/** Builders shared by every test: one definition of a click, a link and a user agent. */

export {
  type AnalyticsDataset,
  analyticsDataset,
  type ConversionRow,
  seedAnalyticsDataset,
} from './analytics-dataset.js';
export { type ApiUnderTest, apiUnderTest, TEST_API_KEY } from './api-under-test.js';
export { clickEvent, clickId, enrichedClick } from './clicks.js';
export { linkEvent } from './links.js';
export { UA } from './user-agents.js';
export { writerOf } from './versions.js';
