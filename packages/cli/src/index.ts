export { resolveApiKey } from './api-key.js';
export { CliError } from './errors.js';
export { main } from './main.js';
export { createBus, type RunningStack, startStack } from './runtime.js';
export { checkPlacement, parseServices, SERVICES, type ServiceName } from './services.js';
