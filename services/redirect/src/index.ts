export { buildRedirectApp, type RedirectAppDeps } from './app.js';
export { ClickBuffer, type ClickBufferOptions } from './click-buffer.js';
export { buildClickEvent } from './click-event.js';
export { COLLECT_PATH, type CollectOptions, collectRoutes, SCRIPT_PATH } from './collect/collect-routes.js';
export { COLLECT_TYPES, type CollectSinks, type CollectType } from './collect/collect-types.js';
export { CollectError, type RedirectErrorCode } from './errors.js';
export { type RedirectDeps, type RedirectSettings, type RunningRedirect, startRedirect } from './service.js';
export { buildTrackerScript, PARTS, STORAGE_KEY } from './tracker/build-script.js';
export { type RedirectWorker, startRedirectWorker } from './worker.js';
