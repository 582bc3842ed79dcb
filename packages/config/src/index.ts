export {
  bundledAsnPaths,
  bundledGeoipPaths,
  ENV_VARS,
  type EnricherConfig,
  type KafkaConfig,
  type LinksConfig,
  type LinktrackConfig,
  type LogLevel,
  loadConfig,
  type RedirectStatus,
  type SqlLimitsConfig,
} from './config.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export type { TrustProxy } from './parsers.js';
export { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-fs.js';
