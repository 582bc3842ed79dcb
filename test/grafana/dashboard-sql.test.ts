import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type AnalyticsStore, openAnalyticsStore } from '../support/analytics-store.js';
import { type ExpandContext, expandGrafanaSql, type VariableValue } from '../support/grafana-sql.js';

/**
 * Every panel and variable query of the provisioned dashboards, expanded the
 * way Grafana and the ClickHouse plugin expand it, run on the real engine
 * (every migration applied, the shared analytics dataset seeded): no SQL
 * error, rows, and the columns the panel type needs.
 */
const root = new URL('../../', import.meta.url);
const DASHBOARD_DIR = new URL('infra/grafana/dashboards/', root);
const PROVISIONING = new URL('infra/grafana/provisioning/', root);

interface Target {
  refId: string;
  rawSql: string;
  editorType: string;
  queryType: string;
  format: number;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource: { type: string; uid: string };
  targets: Target[];
  options?: Record<string, unknown>;
}
interface TemplateVariable {
  name: string;
  type: string;
  query: string;
  definition?: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  datasource?: { type: string; uid: string };
  options?: { value: string }[];
  current?: { value: string | string[] };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
}

const dashboards = readdirSync(DASHBOARD_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    dashboard: JSON.parse(readFileSync(new URL(f, DASHBOARD_DIR), 'utf8')) as Dashboard,
  }));
const overview = dashboards.find((d) => d.file === 'overview.json')?.dashboard as Dashboard;
const datasource = parse(readFileSync(new URL('datasources/clickhouse.yaml', PROVISIONING), 'utf8'))
  .datasources[0] as { uid: string; type: string };

/** The column list of each table panel, by title. */
const TABLE_COLUMNS: Record<string, string[]> = {
  'Channels: source, medium and campaign': [
    'source',
    'medium',
    'campaign',
    'clicks',
    'conversions',
    'conversion_rate',
    'revenue',
  ],
  'Top links': ['slug', 'human_clicks', 'visitor_days', 'qr_scans'],
};

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;
const TIME = /^(Nullable\()?DateTime/;
const STRING = /^(Nullable\()?(LowCardinality\()?String/;
type Column = { name: string; type: string };
type GeomapLayer = { location: { lookup: string }; config: { style: { size: { field: string } } } };

/** What each panel type needs from its frame; returns the problems found. */
function shapeProblems(panel: Panel, columns: Column[], rowCount: number): string[] {
  const problems: string[] = [];
  const numeric = columns.filter((c) => NUMERIC.test(c.type));
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  switch (panel.type) {
    case 'timeseries':
      need(TIME.test(columns[0]?.type ?? ''), `first column is the time, got ${columns[0]?.type}`);
      need(numeric.length >= 1, 'at least one numeric column');
      need(
        columns.slice(1).every((c) => NUMERIC.test(c.type) || STRING.test(c.type)),
        'values are numbers, labels strings',
      );
      break;
    case 'stat':
      need(rowCount === 1, `one row, got ${rowCount}`);
      need(numeric.length === columns.length && columns.length >= 1, 'numeric columns only');
      break;
    case 'table': {
      const expected = TABLE_COLUMNS[panel.title];
      need(expected !== undefined, 'a declared column list in TABLE_COLUMNS');
      need(JSON.stringify(columns.map((c) => c.name)) === JSON.stringify(expected), `columns ${expected}`);
      break;
    }
    case 'geomap': {
      const layers = (panel.options?.layers ?? []) as GeomapLayer[];
      const lookup = layers[0]?.location.lookup;
      const field = layers[0]?.config.style.size.field;
      need(
        STRING.test(columns.find((c) => c.name === lookup)?.type ?? ''),
        `lookup column ${lookup} is a string`,
      );
      need(NUMERIC.test(columns.find((c) => c.name === field)?.type ?? ''), `size field ${field} is numeric`);
      break;
    }
    case 'piechart':
      need(STRING.test(columns[0]?.type ?? ''), 'first column is the label');
      need(numeric.length === columns.length - 1 && numeric.length >= 1, 'the rest numeric');
      break;
    case 'barchart': {
      const x = (panel.options?.xField as string | undefined) ?? columns[0]?.name;
      need(STRING.test(columns.find((c) => c.name === x)?.type ?? ''), `x field ${x} is a string`);
      need(numeric.length === columns.length - 1 && numeric.length >= 1, 'the rest numeric');
      break;
    }
    default:
      problems.push(`no shape rule for panel type ${panel.type}`);
  }
  return problems;
}

describe('dashboard provisioning', () => {
  it('the dashboards provider loads the folder docker-compose.yml mounts', () => {
    const providers = parse(readFileSync(new URL('dashboards/linktrack.yaml', PROVISIONING), 'utf8'));
    const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'));
    const path = providers.providers[0].options.path as string;
    expect(compose.services.grafana.volumes).toContain(`./infra/grafana/dashboards:${path}:ro`);
    expect(providers.providers[0].type).toBe('file');
  });

  it.each(dashboards)(
    '$file has a uid, a title, and queries only the provisioned datasource',
    ({ dashboard }) => {
      expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(dashboard.title).not.toBe('');
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) {
        expect(panel.datasource, panel.title).toEqual({ type: datasource.type, uid: datasource.uid });
        expect(panel.targets.length, panel.title).toBeGreaterThan(0);
        for (const t of panel.targets) {
          expect(t.datasource, panel.title).toEqual(panel.datasource);
          expect(t.editorType, panel.title).toBe('sql');
          expect(t.format, panel.title).toBe(panel.type === 'timeseries' ? 0 : 1);
        }
      }
      for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) {
        expect(v.datasource, v.name).toEqual({ type: datasource.type, uid: datasource.uid });
      }
    },
  );

  it('the overview has the panels and variables analysts rely on', () => {
    expect(overview.uid).toBe('linktrack-overview');
    expect(overview.title).toBe('linktrack overview');
    expect(overview.panels.map((p) => p.type).sort()).toEqual(
      expect.arrayContaining(['barchart', 'geomap', 'piechart', 'stat', 'table', 'timeseries']),
    );
    for (const name of ['campaign', 'source', 'medium']) {
      const v = overview.templating.list.find((x) => x.name === name);
      expect(v, name).toMatchObject({ type: 'query', multi: true, includeAll: true });
      expect(v?.allValue, `${name}: All expands to every option`).toBeUndefined();
    }
    // Exact panels collapse replayed copies; max(ts) (freshness) cannot be changed by a copy.
    for (const panel of overview.panels) {
      const sql = panel.targets.map((t) => t.rawSql).join('\n');
      const rollupOnly = /hourly_rollup/.test(sql) && !/linktrack\.(?!hourly_rollup)/.test(sql);
      if (rollupOnly || panel.title === 'Freshness') continue;
      expect(sql, panel.title).toMatch(/SETTINGS final = 1$/);
    }
    // Long-range panels say where their numbers come from.
    for (const panel of overview.panels.filter((p) =>
      p.targets.some((t) => t.rawSql.includes('hourly_rollup')),
    ))
      expect(panel.description, panel.title).toMatch(/rollup/);
  });
});

describe.each(dashboards)('$file on the real engine', ({ dashboard }) => {
  let analytics: AnalyticsStore;
  const options: Record<string, string[]> = {};
  let range: { fromMs: number; toMs: number };

  beforeAll(async () => {
    analytics = await openAnalyticsStore('lt-grafana-');
    range = { fromMs: analytics.dataset.from - 3_600_000, toMs: analytics.dataset.to + 3_600_000 };
  });
  afterAll(async () => analytics?.store.close());

  const variables = dashboard.templating.list;
  const context = (current: Record<string, VariableValue['current']> = {}): ExpandContext => ({
    ...range,
    intervalSeconds: 3600,
    variables: Object.fromEntries(
      variables.map((v) => {
        const values = v.type === 'custom' ? v.query.split(',') : (options[v.name] ?? []);
        const fallback = v.type === 'custom' ? (v.current?.value as string) : 'all';
        return [v.name, { current: current[v.name] ?? fallback, options: values }];
      }),
    ),
  });

  it.each(variables.filter((v) => v.type === 'query'))(
    'variable $name: value and text from the data',
    async (v) => {
      // Variables resolve before the panels; a variable query may use the time range, not other variables.
      const { columns, rows } = await analytics.rows(expandGrafanaSql(v.query, context()));
      expect(columns.map((c) => c.name)).toEqual(['value', 'text']);
      expect(rows.length).toBeGreaterThan(0);
      options[v.name] = rows.map((r) => String(r[0]));
    },
  );

  // All, then a multi-value pick (a quote in one value, to prove the quoting), then other custom values.
  const selections: [string, Record<string, VariableValue['current']>][] = [
    ['everything (All)', {}],
    ['a multi-value pick', { campaign: ['spring', 'launch', "it's"], source: ['newsletter', 'twitter'] }],
    ['linear credit over 7 days, one medium', { model: 'linear', window: '7', medium: ['social'] }],
    ['position credit', { model: 'position' }],
  ];
  const cases = dashboard.panels.flatMap((panel) =>
    panel.targets.flatMap((target) => selections.map(([label, pick]) => ({ panel, target, label, pick }))),
  );

  it.each(cases)('$panel.title ($target.refId), $label', async ({ panel, target, pick }) => {
    const sql = expandGrafanaSql(target.rawSql, context(pick));
    expect(sql).not.toMatch(/\$\w|\$\{/);
    const { columns, rows } = await analytics.rows(sql);
    expect(shapeProblems(panel, columns, rows.length)).toEqual([]);
    expect(rows.length, sql).toBeGreaterThan(0);
  });
});
