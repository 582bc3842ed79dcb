import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * All linktrack metrics, on a registry of their own so that two stacks in one
 * process (tests) never collide. Names carry their unit suffix.
 */
export function createMetrics() {
  const registry = new Registry();
  const r = [registry];
  return {
    registry,
    redirectRequests: new Counter({
      name: 'linktrack_redirect_requests_total',
      help: 'Redirect requests by outcome (found, not_found, disabled, expired, exhausted)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    redirectEventsBuffered: new Gauge({
      name: 'linktrack_redirect_events_buffered',
      help: 'Click events waiting in the redirect buffer',
      registers: r,
    }),
    redirectEventsDropped: new Counter({
      name: 'linktrack_redirect_events_dropped_total',
      help: 'Click events the redirect could not keep, by reason',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    redirectEventsSpooled: new Counter({
      name: 'linktrack_redirect_events_spooled_total',
      help: 'Click events written to the disk spool while the transport was unreachable',
      registers: r,
    }),
    redirectEventsReplayed: new Counter({
      name: 'linktrack_redirect_events_replayed_total',
      help: 'Click events published from the disk spool once the transport was back',
      registers: r,
    }),
    redirectSpoolBytes: new Gauge({
      name: 'linktrack_redirect_spool_bytes',
      help: 'Size of the click spool file',
      registers: r,
    }),
    collectRequests: new Counter({
      name: 'linktrack_collect_requests_total',
      help: 'Events sent to the collect endpoint by type and outcome (accepted, or the error code)',
      labelNames: ['type', 'outcome'] as const,
      registers: r,
    }),
    collectDropped: new Counter({
      name: 'linktrack_collect_events_dropped_total',
      help: 'Accepted collect events that could not be published, by type and reason',
      labelNames: ['type', 'reason'] as const,
      registers: r,
    }),
    busPublished: new Counter({
      name: 'linktrack_bus_published_messages_total',
      help: 'Messages published to the bus by topic',
      labelNames: ['topic'] as const,
      registers: r,
    }),
    busPendingMessages: new Gauge({
      name: 'linktrack_bus_pending_messages',
      help: 'In-process bus: messages of a topic some group has not consumed yet (bounded)',
      labelNames: ['topic'] as const,
      registers: r,
    }),
    busYieldSeconds: new Counter({
      name: 'linktrack_bus_yield_seconds_total',
      help: 'In-process bus: time deliveries on a topic were held back while the redirect was busy',
      labelNames: ['topic'] as const,
      registers: r,
    }),
    busHandlerFailures: new Counter({
      name: 'linktrack_bus_handler_failures_total',
      help: 'Batches whose handler failed and will be redelivered',
      labelNames: ['topic', 'group'] as const,
      registers: r,
    }),
    pipelineStepResults: new Counter({
      name: 'linktrack_pipeline_step_results_total',
      help: 'Events each pipeline step passed on (ok) or dead-lettered (dlq, with the reason)',
      labelNames: ['pipeline', 'step', 'result', 'reason'] as const,
      registers: r,
    }),
    // Timed over a batch, not per event: two clock reads per step and batch cost nothing.
    // Per event: rate(..._sum) / rate(linktrack_pipeline_step_results_total).
    pipelineStepDuration: new Histogram({
      name: 'linktrack_pipeline_step_duration_seconds',
      help: 'Time one pipeline step took over one batch',
      labelNames: ['pipeline', 'step'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: r,
    }),
    enricherClicks: new Counter({
      name: 'linktrack_enricher_clicks_total',
      help: 'Clicks the enricher published, by verdict: is_bot and bot_reason (counted once per batch)',
      labelNames: ['is_bot', 'reason'] as const,
      registers: r,
    }),
    sinkRowsInserted: new Counter({
      name: 'linktrack_sink_rows_inserted_total',
      help: 'Rows inserted into ClickHouse by table',
      labelNames: ['table'] as const,
      registers: r,
    }),
    sinkInsertFailures: new Counter({
      name: 'linktrack_sink_insert_failures_total',
      help: 'Failed ClickHouse inserts (retried) by table',
      labelNames: ['table'] as const,
      registers: r,
    }),
    sinkInsertDuration: new Histogram({
      name: 'linktrack_sink_insert_duration_seconds',
      help: 'ClickHouse insert latency',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
