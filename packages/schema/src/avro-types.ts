/**
 * TypeScript types derived from Avro schemas written `as const`, so a record's
 * type is its schema: a field added to the schema is a field of the type, and
 * nothing can drift. Covers the Avro linktrack uses: primitives, logical types
 * on primitives, maps, arrays, enums, nested records and unions.
 */
export interface AvroField {
  readonly name: string;
  readonly type: AvroTypeSchema;
  readonly doc?: string;
  readonly default?: unknown;
  /**
   * The values a string field may hold, for the TypeScript type only: not an
   * Avro attribute, so it is not part of the parsing canonical form and
   * changes no fingerprint; readers stay free to see values they do not know.
   */
  readonly oneOf?: readonly string[];
}

export type AvroTypeSchema =
  | string
  | readonly AvroTypeSchema[]
  | { readonly type: string; readonly [attribute: string]: unknown };

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly AvroField[];
}

interface Primitives {
  null: null;
  boolean: boolean;
  int: number;
  long: number;
  float: number;
  double: number;
  bytes: Buffer;
  string: string;
}

/** The TypeScript value of one Avro type. */
export type AvroValue<T> = T extends keyof Primitives
  ? Primitives[T]
  : T extends readonly (infer Branch)[]
    ? AvroValue<Branch>
    : T extends { type: 'map'; values: infer V }
      ? Record<string, AvroValue<V>>
      : T extends { type: 'array'; items: infer I }
        ? AvroValue<I>[]
        : T extends { type: 'enum'; symbols: readonly (infer S)[] }
          ? S
          : T extends { type: 'record'; fields: readonly AvroField[] }
            ? RecordOf<T>
            : T extends { type: infer P }
              ? AvroValue<P>
              : never;

type FieldValue<F extends AvroField> = F extends { oneOf: readonly (infer V)[] }
  ? V | Extract<AvroValue<F['type']>, null>
  : AvroValue<F['type']>;

/** The TypeScript type of an Avro record schema. */
export type RecordOf<S extends { readonly fields: readonly AvroField[] }> = {
  -readonly [F in S['fields'][number] as F['name']]: FieldValue<F>;
};
