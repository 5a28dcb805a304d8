// The exposure log's PostgreSQL sink (PGlite or a server): idempotent multi-row inserts into the tables of migration 002-exposures.
import { holdPGliteFolder } from './pglite-holder.js';
import { isDataError } from '../bounded/batch-writer-options.js';
import type { ExposureRow, ExposureSink } from '../exposures/exposure-rows.js';
import { schemaName } from './migrations.js';
import type { Queryable } from './queryable.js';

/** Options of {@link exposureSink}. */
export interface ExposureSinkOptions {
  /** Schema holding the tables (default `public`); the one given to `migrate`. */
  schema?: string;
  /**
   * Tells a batch refused for a row's data (the log splits it and drops that row) from an outage
   * (retried whole). Default: SQLSTATE class 22 (22021 a NUL byte…) or 23, or 54000 (an index row
   * too large); connection errors and timeouts are outages.
   */
  isDataError?: (error: unknown) => boolean;
}

// The columns both tables share, in the order of each row's parameters.
const COLUMNS = 'user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, exposed_at';
const WIDTH = 8;
// PostgreSQL's wire protocol takes at most 65,535 parameters a statement.
const MAX_ROWS = Math.floor(65_535 / WIDTH);

/** `($1, $2, …, $8), ($9, …)` for `count` rows. */
function placeholders(count: number): string {
  const groups: string[] = [];
  for (let r = 0; r < count; r++) {
    const base = r * WIDTH;
    const slots: string[] = [];
    for (let c = 1; c <= WIDTH; c++) slots.push(`$${base + c}`);
    groups.push(`(${slots.join(', ')})`);
  }
  return groups.join(', ');
}

function parameters(rows: readonly ExposureRow[]): unknown[] {
  const params: unknown[] = [];
  for (const row of rows) params.push(row.key, row.setName, row.variant, row.runId, row.reason, row.firstExposure, row.multiSetName, row.at);
  return params;
}

/**
 * A sink for {@link exposureLog} that writes to `tracks_exposures` (`first` rows) and
 * `tracks_exposure_views` (`view` rows), created by `migrate`. Each batch is one multi-row
 * `insert … on conflict do nothing` a table, so a batch written twice (a retry after a lost
 * acknowledgement), a repeat from another server, or a first exposure the log no longer remembers
 * adds no row: first exposures stay one per (user key, set, variant), views one per run id. A
 * statement the database refuses for a row's data (SQLSTATE class 22/23, 54000) is classified as
 * such (`isDataError`), so the log isolates and drops that row instead of retrying the batch.
 * Takes any {@link Queryable}: a `pg` Pool or Client, or a PGlite instance.
 *
 * @example
 * await migrate(pool);
 * const log = exposureLog({ sink: exposureSink(pool) });
 * app.use(tracks(sets, { onExposure: log }));
 */
export function exposureSink(client: Queryable, options: ExposureSinkOptions = {}): ExposureSink {
  holdPGliteFolder(client);
  const schema = schemaName(options.schema);
  const tables = { first: `${schema}.tracks_exposures`, view: `${schema}.tracks_exposure_views` } as const;
  // Statement texts by row count: a steady batch size reuses one text (and a server's plan cache).
  const texts = new Map<string, string>();
  const insert = async (kind: ExposureRow['kind'], rows: readonly ExposureRow[]): Promise<void> => {
    for (let start = 0; start < rows.length; start += MAX_ROWS) {
      const chunk = rows.slice(start, start + MAX_ROWS);
      const id = `${kind}:${chunk.length}`;
      let text = texts.get(id);
      if (text === undefined) {
        text = `insert into ${tables[kind]} (${COLUMNS}) values ${placeholders(chunk.length)} on conflict do nothing`;
        if (texts.size >= 64) texts.clear();
        texts.set(id, text);
      }
      await client.query(text, parameters(chunk));
    }
  };
  const classify = options.isDataError ?? isDataError;
  return {
    isDataError: (error) => classify(error),
    async write(rows) {
      const first = rows.filter((row) => row.kind === 'first');
      const views = rows.filter((row) => row.kind === 'view');
      // Two statements, no transaction: each is idempotent, so a failure between them is made good by the retry.
      if (first.length > 0) await insert('first', first);
      if (views.length > 0) await insert('view', views);
    },
  };
}
