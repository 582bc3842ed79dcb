export {
  checkUtm,
  severityOf,
  type UtmProblem,
  type UtmProblemCode,
} from './check-utm.js';
export { loadTaxonomy, parseTaxonomy, TaxonomyError, type TaxonomyProblem } from './load-taxonomy.js';
export { DEFAULT_TAXONOMY, defaultRule, type ParameterRule, type Taxonomy } from './taxonomy.js';
