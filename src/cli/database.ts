// Opens the database for a command: PGlite from --pglite <dir>, or PostgreSQL from DATABASE_URL, each driver loaded only when used.
import { OperationError, UsageError, type OpenDatabase, type OpenOptions } from './command.js';
import { assertPGliteFree } from './pglite-lock.js';

/** The options every command that reads the database takes (for `util.parseArgs`). */
export const DATABASE_OPTIONS = {
  pglite: { type: 'string' },
  'database-url': { type: 'string' },
  schema: { type: 'string' },
} as const;

/** The help lines that describe them. */
export const DATABASE_HELP = `database:
    --pglite <dir>          a PGlite data directory (needs @electric-sql/pglite; created if missing)
    --database-url <url>    a PostgreSQL server (needs pg); default: $DATABASE_URL
    --schema <name>         schema of the tracks-ab tables (default: public)`;

function missing(driver: string, what: string): OperationError {
  return new OperationError(`${what} needs the ${driver} package, which is not installed: npm install ${driver}`);
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Loads an optional driver when it is first needed, with the install command when it is missing. */
async function load<T>(loader: () => Promise<T>, driver: string, what: string): Promise<T> {
  try {
    return await loader();
  } catch (error) {
    if (isMissingModule(error)) throw missing(driver, what);
    throw error;
  }
}

/** Runs `connect`; if it fails, ends `db` and says the database cannot be reached. */
async function connected(db: { end(): Promise<void> }, connect: () => Promise<unknown>): Promise<void> {
  try {
    await connect();
  } catch (error) {
    await db.end().catch(() => undefined);
    throw new OperationError(`cannot connect to the database: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The PGlite or PostgreSQL database named by `--pglite` or `--database-url`/`DATABASE_URL` (the
 * flag wins). A PGlite folder another process has open is refused (`assertPGliteFree`): a write
 * would never reach that process, and a read could be stale. PostgreSQL is one connection, or a
 * pool of `connections` (after one connection made here, so that a wrong address fails now).
 */
export async function openDatabase(options: OpenOptions): Promise<OpenDatabase> {
  if (options.pglite !== undefined) {
    if (options.pglite === '') throw new UsageError('--pglite needs a directory');
    // Before PGlite opens it (and writes its own postmaster.pid): is another process holding it?
    assertPGliteFree(options.pglite, options.access ?? 'read');
    const { PGlite } = await load(() => import('@electric-sql/pglite'), '@electric-sql/pglite', '--pglite');
    const db = await PGlite.create(options.pglite);
    return { client: db, close: () => db.close() };
  }
  if (!options.databaseUrl) throw new UsageError('no database: set DATABASE_URL, or give --database-url <url> or --pglite <dir>');
  const mod = await load(() => import('pg'), 'pg', 'DATABASE_URL');
  // pg is CommonJS: its exports arrive as the default export of the ES module namespace.
  const { Client, Pool } = mod.default;
  const settings = { connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 };
  const connections = options.connections ?? 1;
  // Errors of a dropped connection surface through the next query; unheard, the event would crash the process.
  const ignore = (): void => undefined;
  if (connections > 1) {
    // A pool's timeout would also end a statement's wait for a free connection, which lasts as long
    // as the statement before it (seconds at a million persons): one connection checks the address
    // under the timeout, and the pool has none.
    const probe = new Client(settings);
    probe.on('error', ignore);
    await connected(probe, () => probe.connect());
    await probe.end();
    const pool = new Pool({ connectionString: options.databaseUrl, max: connections });
    pool.on('error', ignore);
    return { client: pool, close: () => pool.end() };
  }
  const client = new Client(settings);
  client.on('error', ignore);
  await connected(client, () => client.connect());
  return { client, close: () => client.end() };
}
