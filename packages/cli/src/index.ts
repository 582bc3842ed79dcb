export { resolveApiKey } from './api-key.js';
export { CliError } from './errors.js';
export { main } from './main.js';
export { progressWriter, renderProgress } from './reclassify/progress-bar.js';
export {
  type ReclassifyOptions,
  type ReclassifyResult,
  reclassifyClicks,
} from './reclassify/run-reclassify.js';
export { createBus } from './runtime/resources.js';
export { type RunningStack, type StackOptions, startStack } from './runtime/stack.js';
export { checkPlacement, parseServices, SERVICES, type ServiceName } from './services.js';
