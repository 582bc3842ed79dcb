export { type HealthOptions, healthPlugin, type Readiness } from './health-plugin.js';
export { createLogger, type Logger } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
export { registerThreadMetrics, threadCpuSeconds } from './thread-metrics.js';
