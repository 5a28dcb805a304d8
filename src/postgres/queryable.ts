// The one thing the PostgreSQL layer needs from a database client: `query(text, params)` → `{ rows }`.

/**
 * Any client that runs a parameterised query and returns its rows: a `pg` Pool or Client, a
 * `PGlite` instance. The same SQL serves the embedded default and a PostgreSQL server.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}
