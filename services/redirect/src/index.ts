export { buildRedirectApp, type RedirectAppDeps } from './app.js';
export { ClickBuffer, type ClickBufferOptions } from './click-buffer.js';
export { buildClickEvent } from './click-event.js';
export { locationFor } from './location.js';
