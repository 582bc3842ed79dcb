export { type Enricher, type EnricherDeps, startEnricher } from './enricher.js';
export { createEnrichContext, type EnrichContext, type Enrichment } from './enrichments/index.js';
export { createEnrichPipeline, type EnrichPipeline } from './pipeline.js';
export { type GeoLookup, openGeoLookup } from './resources/geo.js';
export { createUserAgentParser, type UserAgentParser } from './resources/user-agent.js';
