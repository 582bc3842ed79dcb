// A worker thread does not inherit the parent's TypeScript loader: register it, then load the entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
