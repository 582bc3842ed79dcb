export * as analyticsQueries from './analytics/query-builder.js';
export { type ApiAppDeps, buildApiApp } from './app.js';
export {
  type ConversionService,
  type ConversionServiceDeps,
  createConversionService,
} from './conversions/conversion-service.js';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.js';
export { createLinkService, type LinkService, type LinkServiceDeps } from './links/link-service.js';
export { linkView } from './links/link-view.js';
export * as schemas from './schemas/links.js';
