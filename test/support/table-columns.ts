import type { ClickHouseClient } from '@clickhouse/client';
import { type StreamContract, tableColumns } from '@linktrack/streams';

interface Column {
  name: string;
  type: string;
  default_type: string;
}

/** How a stream's Avro fields and its table's columns differ; all empty when they agree. */
export interface TableDrift {
  /** Avro fields (by column name) the table lacks. */
  onlyInAvro: string[];
  /** Columns a row must or may carry that no field (or ClickHouse default declared in the contract) fills. */
  onlyInTable: string[];
  /** "field: Avro type → column type" where the column cannot hold the field. */
  typeMismatches: string[];
}

/** Compares a stream with its table as the engine describes it (DESCRIBE TABLE). */
export async function tableDrift(client: ClickHouseClient, stream: StreamContract): Promise<TableDrift> {
  const table = stream.table;
  if (!table) throw new Error(`${stream.topic} has no table`);
  const described = await (
    await client.query({ query: `DESCRIBE TABLE ${table.name}`, format: 'JSONEachRow' })
  ).json<Column>();
  // MATERIALIZED, ALIAS and EPHEMERAL columns are computed, never inserted.
  const insertable = described.filter((c) => c.default_type === '' || c.default_type === 'DEFAULT');
  const expected = tableColumns(stream);
  const renamed = table.renamed ?? {};
  const byName = new Map(insertable.map((c) => [c.name, c]));
  return {
    onlyInAvro: expected.filter((c) => !byName.has(c)),
    onlyInTable: insertable.map((c) => c.name).filter((c) => !expected.includes(c)),
    typeMismatches: stream.schema.fields.flatMap((f) => {
      const column = byName.get(renamed[f.name] ?? f.name);
      if (!column || fits(f.type, column.type, f.name in renamed)) return [];
      return [`${f.name}: ${JSON.stringify(f.type)} → ${column.type}`];
    }),
  };
}

/** Whether a column of `columnType` holds an Avro value of `avroType` as the row mappers write it. */
function fits(avroType: unknown, columnType: string, renamed: boolean): boolean {
  const column = columnType.replace(/^LowCardinality\((.*)\)$/, '$1').replace(/^Nullable\((.*)\)$/, '$1');
  if (Array.isArray(avroType))
    return avroType.filter((t) => t !== 'null').every((t) => fits(t, columnType, renamed));
  const { type, logicalType } =
    typeof avroType === 'string'
      ? { type: avroType, logicalType: undefined }
      : (avroType as { type: string; logicalType?: string });
  if (type === 'string' && logicalType === 'uuid') return column === 'UUID';
  // Decimal text (a conversion's value) is parsed by the engine into the column's scale.
  if (type === 'string' && logicalType === 'decimal-text') return /^Decimal(\d*)?\(/.test(column);
  if (type === 'long' && logicalType === 'timestamp-millis') return column.startsWith('DateTime64(3');
  if (type === 'string') return column === 'String' || column.startsWith('Enum');
  // Bytes are stored as base64 text under a column of their own name.
  if (type === 'bytes') return renamed && column === 'String';
  if (type === 'boolean') return column === 'UInt8' || column === 'Bool';
  if (type === 'int') return /^U?Int(32|64)$/.test(column);
  if (type === 'long') return /^U?Int64$/.test(column);
  if (type === 'map') return column === 'Map(String, String)';
  if (type === 'array') {
    const inner = /^Array\((.*)\)$/.exec(column)?.[1];
    return inner !== undefined && fits((avroType as { items: unknown }).items, inner, renamed);
  }
  return false;
}
