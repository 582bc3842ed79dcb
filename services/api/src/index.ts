export { type ApiAppDeps, buildApiApp } from './app.js';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.js';
export {
  type CreatedLink,
  type CreateLinkInput,
  createLinkService,
  type LinkService,
} from './link-service.js';
