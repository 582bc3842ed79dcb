import type { AvroRecordSchema, AvroTypeSchema } from '@linktrack/schema';
import { StreamError } from './errors.js';

/** A value a computed column holds: written by its JavaScript type. */
export type ColumnValue = string | number | boolean | null | readonly string[];

/** How a stream's records become its table's rows: the contract's part of it. */
export interface RowMapping<T> {
  /** Avro fields stored under another column name. */
  renamed?: Readonly<Record<string, string>>;
  /**
   * Columns (by column name) whose value is computed from the record instead
   * of copied from its field. A derived column no field maps to is an extra
   * column, written after the fields (a value that follows from others, such
   * as a conversion's trust from its source, is never carried on the wire).
   */
  derived?: { readonly [column: string]: (record: T) => ColumnValue };
}

/** The derived columns no field of `schema` maps to, in the mapping's order. */
export function extraColumns(schema: AvroRecordSchema, mapping: RowMapping<unknown>): string[] {
  const renamed = mapping.renamed ?? {};
  const fromFields = new Set(schema.fields.map((f) => renamed[f.name] ?? f.name));
  return Object.keys(mapping.derived ?? {}).filter((c) => !fromFields.has(c));
}

/**
 * A record as one row object: every field under its column, booleans as 0/1,
 * derived columns computed. The sink writes the same mapping as TabSeparated
 * text (tsvRowWriter); this form is for tests and readers.
 */
export function rowMapper<T>(schema: AvroRecordSchema, mapping: RowMapping<T>) {
  const renamed = mapping.renamed ?? {};
  const derived = mapping.derived ?? {};
  const columns = schema.fields.map((f) => {
    const column = renamed[f.name] ?? f.name;
    const compute = derived[column];
    if (compute) return { column, value: (r: T) => compute(r) };
    const read = (r: T) => (r as Record<string, unknown>)[f.name];
    return { column, value: isBoolean(f.type) ? (r: T) => (read(r) ? 1 : 0) : read };
  });
  for (const column of extraColumns(schema, mapping as RowMapping<unknown>)) {
    const compute = derived[column] as (record: T) => ColumnValue;
    columns.push({ column, value: (r: T) => compute(r) });
  }
  return (record: T): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c.column] = c.value(record);
    return row;
  };
}

export interface TsvRowWriter<T> {
  /** The columns, in the order each line holds them (the INSERT's column list). */
  columns: readonly string[];
  /** One record as one TabSeparated line, without its newline. */
  line(record: T): string;
}

/**
 * The sink's serializer: a record straight to a TabSeparated line, no row
 * object on the way. TabSeparated is the cheapest text format the engine
 * parses (chDB's raw insert and the HTTP interface take the same bytes). The
 * line function is generated once per stream from the Avro schema, with
 * plain property reads (`r.slug`): a loop of per-column closures over keyed
 * reads ran nearly three times slower.
 */
export function tsvRowWriter<T>(schema: AvroRecordSchema, mapping: RowMapping<T>): TsvRowWriter<T> {
  const renamed = mapping.renamed ?? {};
  const derived = mapping.derived ?? {};
  const columns: string[] = [];
  const computed: ((record: T) => ColumnValue)[] = [];
  const cells: string[] = [];
  for (const field of schema.fields) {
    const column = renamed[field.name] ?? field.name;
    columns.push(column);
    const compute = derived[column];
    if (compute) {
      cells.push(`any(d[${computed.length}](r))`);
      computed.push(compute);
      continue;
    }
    if (!IDENTIFIER.test(field.name))
      throw new StreamError('LT_STREAM_NO_ROW_FORMAT', `column ${column}: field name is not an identifier`);
    const cell = cellOf(field.type, `r.${field.name}`);
    if (!cell)
      throw new StreamError(
        'LT_STREAM_NO_ROW_FORMAT',
        `column ${column}: Avro type ${JSON.stringify(field.type)} has no TabSeparated form; derive the column in the contract`,
      );
    cells.push(cell);
  }
  for (const column of extraColumns(schema, mapping as RowMapping<unknown>)) {
    columns.push(column);
    cells.push(`any(d[${computed.length}](r))`);
    computed.push(derived[column] as (record: T) => ColumnValue);
  }
  const body = `return function line(r) { return ${cells.join(" + '\\t' + ")}; };`;
  const make = new Function('str', 'millis', 'arr', 'map', 'any', 'd', body) as (
    ...helpers: unknown[]
  ) => (record: T) => string;
  return { columns, line: make(tsvString, tsvMillis, tsvArray, tsvMap, tsvAny, computed) };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The expression that writes `value` (an expression) of Avro type `type`; null when there is no form. */
function cellOf(type: AvroTypeSchema, value: string): string | null {
  if (Array.isArray(type)) {
    // Only ['null', X]: NULL is \N, anything else is X's form.
    const branches = type as readonly AvroTypeSchema[];
    const other = branches.filter((b) => b !== 'null');
    if (other.length !== 1 || branches.length !== 2) return null;
    const inner = cellOf(other[0] as AvroTypeSchema, value);
    return inner && `(${value} == null ? '\\\\N' : ${inner})`;
  }
  if (typeof type === 'object') {
    const t = type as { type: string; logicalType?: string; items?: AvroTypeSchema };
    if (t.type === 'long' && t.logicalType === 'timestamp-millis') return `millis(${value})`;
    // Arrays of strings, plain or logical (uuid): quoted elements either way.
    if (t.type === 'array') return isString(t.items) ? `arr(${value})` : null;
    if (t.type === 'map')
      return (t as { values?: AvroTypeSchema }).values === 'string' ? `map(${value})` : null;
    return cellOf(t.type, value);
  }
  switch (type) {
    case 'string':
      return `str(${value})`;
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return `('' + ${value})`;
    case 'boolean':
      return `(${value} ? '1' : '0')`;
    default:
      return null;
  }
}

function isString(type: AvroTypeSchema | undefined): boolean {
  return type === 'string' || (typeof type === 'object' && (type as { type?: unknown }).type === 'string');
}

function isBoolean(type: AvroTypeSchema): boolean {
  return type === 'boolean' || (typeof type === 'object' && (type as { type?: unknown }).type === 'boolean');
}

const TSV_SPECIAL = /[\t\n\r\\\0]/;
const TSV_SPECIAL_ALL = /[\t\n\r\\\0]/g;
const QUOTED_SPECIAL = /[\t\n\r\\\0']/g;
const ESCAPES: Record<string, string> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\\': '\\\\',
  '\0': '\\0',
  "'": "\\'",
};
const escapeOf = (c: string) => ESCAPES[c] as string;

/** TabSeparated escaping: most strings have nothing to escape, so test before replacing. */
export function tsvString(s: string): string {
  return TSV_SPECIAL.test(s) ? s.replace(TSV_SPECIAL_ALL, escapeOf) : s;
}

/** An Array(String) cell: quoted elements, escaped so the cell holds no raw tab or newline. */
export function tsvArray(items: readonly string[]): string {
  if (items.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += `'${(items[i] as string).replace(QUOTED_SPECIAL, escapeOf)}'`;
  }
  return `${out}]`;
}

/** A Map(String, String) cell: {'key':'value',...}, quoted and escaped like array elements. */
export function tsvMap(entries: Readonly<Record<string, string>>): string {
  let out = '{';
  let first = true;
  for (const key in entries) {
    out += `${first ? '' : ','}'${key.replace(QUOTED_SPECIAL, escapeOf)}':'${(entries[key] as string).replace(QUOTED_SPECIAL, escapeOf)}'`;
    first = false;
  }
  return `${out}}`;
}

/**
 * DateTime64(3) from epoch milliseconds: text formats read a bare number as
 * seconds, so seconds.millis; the engine reads no sign there, so times before
 * 1970 go as UTC date and time (the columns are DateTime64(3, 'UTC')).
 */
export function tsvMillis(ms: number): string {
  if (ms < 0) return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
  const frac = ms % 1000;
  return `${(ms - frac) / 1000}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

function tsvAny(v: ColumnValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return tsvString(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  return tsvArray(v);
}
