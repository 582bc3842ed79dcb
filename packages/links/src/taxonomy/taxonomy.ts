import { UTM_KEYS, type UtmKey } from '../utm.js';

/** How one utm parameter must look. */
export interface ParameterRule {
  /** Values allowed after normalization; empty means any. */
  allowed: string[];
  /** A regular expression the normalized value must match; null means any. */
  pattern: RegExp | null;
  /** Written form (compared case-insensitively) → canonical value. */
  aliases: Map<string, string>;
  required: boolean;
  /** `lower` folds values to lowercase; `preserve` keeps them. */
  case: 'lower' | 'preserve';
  maxLength: number | null;
}

/**
 * The UTM naming rules. `strict` refuses a violation (400); `warn` normalizes
 * and warns. Without a file: `default`, which normalizes case and whitespace
 * with a warning and rejects nothing.
 */
export interface Taxonomy {
  mode: 'strict' | 'warn' | 'default';
  /** Where it came from, for messages. */
  source: string;
  parameters: Record<UtmKey, ParameterRule>;
}

export function defaultRule(key: UtmKey): ParameterRule {
  return {
    allowed: [],
    pattern: null,
    aliases: new Map(),
    required: key === 'source' || key === 'medium' || key === 'campaign',
    case: 'lower',
    maxLength: null,
  };
}

/** The taxonomy in force when LINKTRACK_TAXONOMY is not set. */
export const DEFAULT_TAXONOMY: Taxonomy = {
  mode: 'default',
  source: 'built-in defaults',
  parameters: Object.fromEntries(UTM_KEYS.map((k) => [k, defaultRule(k)])) as Record<UtmKey, ParameterRule>,
};
