/**
 * What Grafana and the grafana-clickhouse-datasource plugin do to a panel's SQL
 * before ClickHouse sees it, for the macros and variable forms linktrack's
 * dashboards use; anything else fails loudly instead of reaching the engine
 * half-expanded. In the order the plugin applies them:
 * 1. in the browser, `$__conditionalAll(condition, $var)` becomes `1=1` when
 *    the variable is All (or empty), else the condition;
 * 2. in the browser, Grafana replaces `$var`, `${var}` and `${var:format}`:
 *    without a format the plugin joins a multi value as 'a','b' (unescaped) and
 *    leaves a single value as it is; `:singlequote` quotes each value, escaping
 *    ' as \', joined by commas. All, without a custom all value, is every option;
 * 3. on the server, the plugin's macros: `$__timeFilter(col)` →
 *    `col >= toDateTime(<from s>) AND col <= toDateTime(<to s>)`, `$__fromTime` /
 *    `$__toTime` → `toDateTime(<epoch s>)`, `$__interval_s` → the interval in
 *    whole seconds, at least 1.
 */
export interface VariableValue {
  /** The selected values, or 'all'. */
  current: string[] | string | 'all';
  /** Every option's value: what All stands for. */
  options: string[];
}

export interface ExpandContext {
  fromMs: number;
  toMs: number;
  intervalSeconds: number;
  variables: Record<string, VariableValue>;
}

const CONDITIONAL_ALL = '$__conditionalAll(';

export function expandGrafanaSql(sql: string, ctx: ExpandContext): string {
  return expandMacros(replaceVariables(applyConditionalAll(sql, ctx), ctx), ctx);
}

function isAll(v: VariableValue): boolean {
  return v.current === 'all' || (Array.isArray(v.current) && v.current.length === 0) || v.current === '';
}

function variable(ctx: ExpandContext, name: string): VariableValue {
  const v = ctx.variables[name];
  if (!v) throw new Error(`unknown template variable $${name}`);
  return v;
}

function applyConditionalAll(sql: string, ctx: ExpandContext): string {
  let out = sql;
  for (let at = out.lastIndexOf(CONDITIONAL_ALL); at !== -1; at = out.lastIndexOf(CONDITIONAL_ALL)) {
    const open = at + CONDITIONAL_ALL.length - 1;
    const { args, end } = macroArgs(out, open);
    if (args.length !== 2) throw new Error(`$__conditionalAll takes 2 arguments, got ${args.length}`);
    const name = /^\$\{?(\w+)\}?$/.exec((args[1] as string).trim())?.[1];
    if (!name) throw new Error(`$__conditionalAll: ${args[1]} is not a variable`);
    const phrase = isAll(variable(ctx, name)) ? '1=1' : (args[0] as string);
    out = out.slice(0, at) + phrase + out.slice(end + 1);
  }
  return out;
}

/** Arguments of the call whose "(" is at `open`, split on top-level commas. */
function macroArgs(text: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i));
        return { args, end: i };
      }
    } else if (ch === ',' && depth === 1) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  throw new Error(`unclosed macro call at ${text.slice(open - 20, open + 20)}`);
}

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::(\w+))?\}/g;

function replaceVariables(sql: string, ctx: ExpandContext): string {
  return sql.replace(
    VARIABLE,
    (match, plain: string | undefined, braced: string | undefined, format?: string) => {
      const name = (plain ?? braced) as string;
      // Names starting with __ are the plugin's macros, expanded on the server.
      if (plain?.startsWith('__')) return match;
      const v = variable(ctx, name);
      const values = isAll(v) ? v.options : typeof v.current === 'string' ? [v.current] : v.current;
      const multi = isAll(v) || Array.isArray(v.current);
      switch (format) {
        case undefined:
          return multi ? `'${values.join("','")}'` : (values[0] as string);
        case 'singlequote':
          return values.map((x) => `'${x.replaceAll("'", "\\'")}'`).join(',');
        default:
          throw new Error(`unsupported variable format ${format} in ${match}`);
      }
    },
  );
}

const MACRO = /\$__(\w+)(?:\(([^)]*)\))?/g;

function expandMacros(sql: string, ctx: ExpandContext): string {
  const from = Math.floor(ctx.fromMs / 1000);
  const to = Math.floor(ctx.toMs / 1000);
  return sql.replace(MACRO, (match, name: string, args: string | undefined) => {
    switch (name) {
      case 'timeFilter': {
        const column = args?.trim();
        if (!column || column.includes(',')) throw new Error(`${match}: takes exactly one column`);
        return `${column} >= toDateTime(${from}) AND ${column} <= toDateTime(${to})`;
      }
      case 'fromTime':
        return noArgs(match, args, `toDateTime(${from})`);
      case 'toTime':
        return noArgs(match, args, `toDateTime(${to})`);
      case 'interval_s':
        return noArgs(match, args, String(Math.max(1, Math.floor(ctx.intervalSeconds))));
      default:
        throw new Error(`unsupported macro ${match}`);
    }
  });
}

function noArgs(match: string, args: string | undefined, value: string): string {
  if (args !== undefined && args.trim() !== '') throw new Error(`${match}: takes no arguments`);
  return value;
}
