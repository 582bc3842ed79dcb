import type { GeoLookup } from '../resources/geo.js';
import type { UserAgentParser } from '../resources/user-agent.js';

/** Costly resources, built once at start and shared by every enrichment. */
export interface EnrichContext {
  geo: GeoLookup;
  userAgents: UserAgentParser;
}
