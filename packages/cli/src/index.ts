export { resolveApiKey } from './api-key.js';
export { CliError } from './errors.js';
export { main } from './main.js';
export { createBus } from './runtime/resources.js';
export { type RunningStack, type StackOptions, startStack } from './runtime/stack.js';
export { checkPlacement, parseServices, SERVICES, type ServiceName } from './services.js';
