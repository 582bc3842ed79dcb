import { dlq, ok, type Step } from '@linktrack/pipeline';
import { type ClickEvent, isVisitType } from '@linktrack/streams';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A click from before linktrack existed, or from far in the future, is a bug upstream.
const EARLIEST_TS = Date.UTC(2020, 0, 1);
const MAX_FUTURE_MS = 24 * 3600 * 1000;

/** Checks what Avro cannot: the values are of the right kind, naming the first bad field. */
export function createValidateStep(deps: { now?: () => number } = {}): Step<ClickEvent, ClickEvent> {
  const now = deps.now ?? Date.now;
  return {
    name: 'validate',
    run(click) {
      const problem = firstProblem(click, now());
      return problem ? dlq('invalid_event', new Error(problem)) : ok(click);
    },
  };
}

function firstProblem(click: ClickEvent, now: number): string | null {
  if (!UUID.test(click.click_id)) return `click_id: not a UUID ("${click.click_id.slice(0, 40)}")`;
  if (click.ts < EARLIEST_TS || click.ts > now + MAX_FUTURE_MS) return `ts: ${click.ts} is out of range`;
  if (click.visit_type !== null && !isVisitType(click.visit_type))
    return `visit_type: "${String(click.visit_type).slice(0, 40)}" is not a known visit type`;
  // A request for / has no slug; every other request names one (or the path it asked for).
  if (click.visit_type === 'base_url' ? click.slug !== '' : click.slug === '' || click.slug.length > 256)
    return 'slug: "" for a base_url visit, otherwise 1-256 characters';
  if (click.method !== 'GET' && click.method !== 'HEAD')
    return `method: "${click.method}" is not GET or HEAD`;
  return null;
}
