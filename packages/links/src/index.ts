export {
  buildDestination,
  type Destination,
  readUtm,
  UTM_KEYS,
  type Utm,
  type UtmKey,
} from './destination.js';
export { LinkError, type LinkErrorCode } from './errors.js';
export { type FollowOptions, followLinks, LinkIndex } from './link-index.js';
export { generateSlug, looksLikeSlug, RESERVED_SLUGS, SLUG_PATTERN, validateSlug } from './slug.js';
