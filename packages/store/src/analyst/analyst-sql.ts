import type { Logger } from '@linktrack/telemetry';
import { AnalystSqlError } from '../errors.js';
import { toAnalystError } from './engine-errors.js';
import type { AnalystLimits } from './limits.js';
import { SessionPool } from './session-pool.js';
import type { AnalystSession } from './sessions.js';
import { judgeStatement, type StatementKind } from './statement.js';

export interface AnalystQuery {
  query: string;
  params?: Record<string, unknown>;
  /** Aborted when the client goes away: the statement is cancelled in the engine. */
  signal?: AbortSignal;
  /**
   * Read tables that collapse replayed copies as FINAL (the default), so
   * counts are exact; false reads the parts as they are, faster on big scans.
   */
  final?: boolean;
}

export interface AnalystResult {
  kind: StatementKind;
  rows: Record<string, unknown>[];
}

/** Read-only SQL for analysts: checked by the engine's parser, bounded by limits, cancellable. */
export interface AnalystSql {
  readonly limits: AnalystLimits;
  run(query: AnalystQuery): Promise<AnalystResult>;
  close(): Promise<void>;
}

/** A string literal the engine reads back as exactly `text`. */
export function sqlStringLiteral(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const MULTI_STATEMENT = 'Multi-statements are not allowed';

/**
 * Each query takes a session, then:
 * 1. the engine formats it (`formatQuerySingleLine`): a syntax error or a second
 *    statement fails here, and the canonical text is what runs from now on, so
 *    what was checked is exactly what executes;
 * 2. `EXPLAIN AST` of that text decides whether it is one allowed statement;
 * 3. it runs under the limits; if the client goes away, it is killed.
 */
export function createAnalystSql(
  sessions: AnalystSession[],
  limits: AnalystLimits,
  logger: Logger,
): AnalystSql {
  const pool = new SessionPool(sessions, limits.maxQueued);

  async function canonicalOf(session: AnalystSession, query: string): Promise<string> {
    try {
      const text = await session.text(
        `SELECT formatQuerySingleLine(${sqlStringLiteral(query)})`,
        undefined,
        'TabSeparatedRaw',
      );
      return text.replace(/\n$/, '');
    } catch (err) {
      if (String((err as Error).message).includes(MULTI_STATEMENT)) {
        throw new AnalystSqlError('LT_SQL_MULTI_STATEMENT', 'send exactly one statement', { cause: err });
      }
      throw err;
    }
  }

  async function run({ query, params, signal, final = true }: AnalystQuery): Promise<AnalystResult> {
    const session = await pool.acquire(signal);
    const onAbort = () => {
      session.cancel().catch((err) => logger.warn({ event: 'analyst_cancel_failed', err }, 'cancel failed'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const canonical = await canonicalOf(session, query);
      const ast = await session.text(`EXPLAIN AST ${canonical}`, params, 'TabSeparatedRaw', signal);
      const verdict = judgeStatement(canonical, ast);
      if (!verdict.ok) throw new AnalystSqlError(verdict.code, verdict.message);
      const text = await session.text(canonical, params, 'JSONEachRow', signal, final);
      const rows: Record<string, unknown>[] = [];
      for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line));
      return { kind: verdict.kind, rows };
    } catch (err) {
      throw signal?.aborted
        ? new AnalystSqlError('LT_SQL_CANCELLED', 'the client went away; the query was cancelled', {
            cause: err,
          })
        : toAnalystError(err, limits);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      pool.release(session);
    }
  }

  return {
    limits,
    run,
    close: async () => {
      for (const s of sessions) await s.close();
    },
  };
}
