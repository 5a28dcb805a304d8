// Runs a command's work on the database its options name, closing it after, with database errors a person can act on.
import { TracksError } from '../engine/errors.js';
import type { Queryable } from '../postgres/queryable.js';
import { OperationError, type CliIo, type DatabaseOpener, type OpenOptions } from './command.js';

/** The SQLSTATE of "relation does not exist". */
const UNDEFINED_TABLE = '42P01';

/**
 * Opens the database (`--pglite`, else `--database-url`, else `DATABASE_URL`) for `access` (read
 * unless given) with `connections` (one unless given), runs `work`, closes it. A refused control becomes an `OperationError` with its message; a missing table says to migrate.
 */
export async function withDatabase<T>(
  values: { pglite?: string; 'database-url'?: string; schema?: string },
  io: CliIo,
  open: DatabaseOpener,
  work: (client: Queryable) => Promise<T>,
  how: Pick<OpenOptions, 'access' | 'connections'> = {},
): Promise<T> {
  const db = await open({ pglite: values.pglite, databaseUrl: values['database-url'] ?? io.env.DATABASE_URL, ...how });
  try {
    return await work(db.client);
  } catch (error) {
    if (error instanceof TracksError) throw new OperationError(error.message, { cause: error });
    // Only a missing tracks-ab table means "migrate first"; a missing table of the app's own query is its own error.
    const missingTable = (error as { code?: string } | null)?.code === UNDEFINED_TABLE;
    if (missingTable && /relation "(\w+\.)?tracks_/.test((error as Error).message)) {
      throw new OperationError(`the tracks-ab tables are missing in schema ${values.schema ?? 'public'}: run \`tracks-ab migrate\` first`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await db.close().catch(() => undefined);
  }
}
