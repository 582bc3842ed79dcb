export { buildRedirectApp, type RedirectAppDeps } from './app.js';
export { ClickBuffer, type ClickBufferOptions } from './click-buffer.js';
export { buildClickEvent } from './click-event.js';
export { type RedirectDeps, type RedirectSettings, type RunningRedirect, startRedirect } from './service.js';
export { Spool, type SpoolPosition, type SpoolRead } from './spool.js';
export { type RedirectWorker, startRedirectWorker } from './worker.js';
