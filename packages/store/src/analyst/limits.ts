import type { SqlLimitsConfig } from '@linktrack/config';

/** What one analyst query may use (configured as LINKTRACK_SQL_*); every query runs under all of them. */
export type AnalystLimits = SqlLimitsConfig;

export const DEFAULT_ANALYST_LIMITS: AnalystLimits = {
  maxExecutionSeconds: 30,
  maxMemoryBytes: 2_000_000_000,
  maxResultRows: 1_000_000,
  maxResultBytes: 100_000_000,
  maxConcurrent: 2,
  maxQueued: 32,
};

/**
 * The engine settings that enforce the limits, readonly last: after it no
 * setting may change, so an analyst's own SETTINGS clause cannot lift a limit.
 * 64-bit integers are quoted as a server does by default, so analysts get the
 * same JSON from the embedded engine and from a server.
 */
export function analystSettings(limits: AnalystLimits): Record<string, string | number> {
  return {
    max_execution_time: limits.maxExecutionSeconds,
    timeout_overflow_mode: 'throw',
    max_memory_usage: limits.maxMemoryBytes,
    max_result_rows: limits.maxResultRows,
    max_result_bytes: limits.maxResultBytes,
    result_overflow_mode: 'throw',
    output_format_json_quote_64bit_integers: 1,
    readonly: 1,
  };
}
