import { apiService } from './api-service.js';
import { enricherService } from './enricher-service.js';
import { redirectService } from './redirect-service.js';
import type { ServiceDefinition } from './service-definition.js';
import { sinkService } from './sink-service.js';

/** Every service linktrack can run; a new one is a file beside these and one entry here. */
export const SERVICE_DEFINITIONS = [
  redirectService,
  enricherService,
  sinkService,
  apiService,
] as const satisfies readonly ServiceDefinition[];

export type ServiceName = (typeof SERVICE_DEFINITIONS)[number]['name'];
