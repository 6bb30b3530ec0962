/**
 * SQL text for ClickHouse, built in one place. ClickHouse 18.16 has no server-side query
 * parameters, so every value reaches a statement as a literal, and `literal` is the only function
 * that writes one. Statements are `Sql` objects made with the `sql` tag: interpolated values are
 * escaped by `literal`; only other `Sql` fragments (column lists, table names, expressions written
 * in this folder) are spliced in as they are. The connection accepts nothing but `Sql`, so a
 * string built by concatenation cannot reach the server.
 * @module
 */

/** A value that may be written into SQL as a literal. */
export type SqlValue = string | number | bigint | boolean | null | readonly SqlValue[];

const SQL_BRAND: unique symbol = Symbol('Sql');

/** A piece of SQL text whose every value went through `literal`. */
export interface Sql {
  readonly [SQL_BRAND]: true;
  readonly text: string;
}

function make(text: string): Sql {
  return { [SQL_BRAND]: true, text };
}

export function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as Sql)[SQL_BRAND] === true;
}

/*
 * Inside a quoted string ClickHouse reads a backslash as an escape, so backslash and quote are
 * escaped, and control characters are written as \xHH so that no byte of the value can end the
 * literal or the statement (a NUL would cut the query short on some code paths).
 */
function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/**
 * The SQL literal for `value`: a quoted, escaped string; a number as its shortest exact decimal
 * form; a bigint; 1/0 for booleans; NULL; an array literal `[…]` of these. Throws on a number
 * that is not finite (ClickHouse would read `NaN`/`Infinity` as identifiers or as other values).
 */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} into SQL: not a finite number.`);
      // Negative numbers in parentheses: `-5` after an operator such as `-` would read as `--`, a comment.
      return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
    case 'bigint':
      return value < 0n ? `(${value.toString()})` : value.toString();
    case 'boolean':
      return value ? '1' : '0';
    case 'object':
      if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
      break;
  }
  throw new Error(`Cannot write a value of type ${typeof value} into SQL.`);
}

/** A quoted identifier (table or column name). Names here are constants; quoting keeps any name exact. */
export function identifier(name: string): Sql {
  if (name.length === 0) throw new Error('An identifier cannot be empty.');
  let out = '`';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '`') out += '\\`';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return make(`${out}\``);
}

/**
 * The tagged template every statement is written with: `${value}` becomes `literal(value)`,
 * `${fragment}` (an `Sql`) is spliced in unchanged.
 */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Sql)[]): Sql {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    text += isSql(value) ? value.text : literal(value);
    text += strings[i + 1]!;
  }
  return make(text);
}

/** SQL written in this folder as a constant (a column list, an expression); never user input. */
export function trusted(text: string): Sql {
  return make(text);
}

/** Fragments joined with a separator (`, `, ` AND ` …). */
export function join(parts: readonly Sql[], separator: string): Sql {
  return make(parts.map((p) => p.text).join(separator));
}

/** `(a, b, c)` for `x IN …`; throws on an empty list, which is not valid SQL (callers decide what empty means). */
export function inList(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new Error('An IN list cannot be empty.');
  return make(`(${values.map((v) => literal(v)).join(', ')})`);
}

/** `(a, b)` — one tuple for a multi-column `IN`. */
export function tuple(values: readonly SqlValue[]): Sql {
  return make(`(${values.map((v) => literal(v)).join(', ')})`);
}

/** `((a, b), (c, d))` for `(x, y) IN …`; throws on an empty list. */
export function tupleList(rows: readonly (readonly SqlValue[])[]): Sql {
  if (rows.length === 0) throw new Error('An IN list cannot be empty.');
  return make(`(${rows.map((r) => tuple(r).text).join(', ')})`);
}
