export { agentFacts } from './classifier/agent.js';
export { type Classifier, createClassifier, judge, SIGNALS, type Verdict } from './classifier/classifier.js';
export type { ClassifierInput } from './classifier/input.js';
export { type Enricher, type EnricherDeps, startEnricher } from './enricher.js';
export {
  createEnrichContext,
  type EnrichContext,
  type Enrichment,
  type EnrichOptions,
} from './enrichments/index.js';
export { createEnrichPipeline, type EnrichPipeline } from './pipeline.js';
export { createReclassifier, type Reclassifier } from './reclassify/reclassifier.js';
export type { Reclassified, StoredClick } from './reclassify/stored-click.js';
export { type AsnLookup, NO_ASN, openAsnLookup } from './resources/asn.js';
export { type BurstDetector, createBurstDetector } from './resources/burst.js';
export { type GeoLookup, openGeoLookup } from './resources/geo.js';
export {
  compileNetworkLists,
  type NetworkLists,
  readNetworkListsFile,
  readRelayRanges,
} from './resources/networks.js';
export { createUserAgentParser, type UserAgentParser } from './resources/user-agent.js';
export { createVisitorHasher, type VisitorHasher } from './resources/visitor-hash.js';
export { flagBurst } from './steps/burst-step.js';
