export {
  checkSurvival,
  metaRefreshTarget,
  type SurvivalOptions,
  type SurvivalReport,
} from './checker/check-survival.js';
export { checkAddress, fetchOnce, RefusedAddressError } from './checker/safe-fetch.js';
export * from './conversion/index.js';
export { LinkError, type LinkErrorCode } from './errors.js';
export { type FollowOptions, followLinks, LinkIndex } from './link-index.js';
export { type LinkState, linkState } from './link-state.js';
export { applyUtm, type LocationRules, redirectLocation, type UtmReplacement } from './location.js';
export {
  type DestinationPolicy,
  type PreparedDestination,
  prepareDestination,
  URL_WARN_LENGTH,
} from './prepare-destination.js';
export { generateSlug, looksLikeSlug, RESERVED_SLUGS, SLUG_PATTERN, validateSlug } from './slug.js';
export * from './taxonomy/index.js';
export {
  readUtm,
  UTM_KEYS,
  type Utm,
  type UtmKey,
} from './utm.js';
export { MAX_DESTINATION_LENGTH, validateDestination } from './validate-destination.js';
