export {
  bundledGeoipPaths,
  ENV_VARS,
  type KafkaConfig,
  type LinktrackConfig,
  type LogLevel,
  loadConfig,
  type RedirectStatus,
} from './config.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export type { TrustProxy } from './parsers.js';
