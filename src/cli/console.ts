// `tracks-ab console`: serves the experiments console for a PostgreSQL database, until Ctrl-C.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { tracksConsole } from '../console/handler.js';
import { describeSet } from '../engine/describe-set.js';
import type { AnySetClass } from '../engine/track-set.js';
import type { ConversionQuery } from '../postgres/report-queries.js';
import { OperationError, UsageError, type Command } from './command.js';
import { DATABASE_OPTIONS } from './database.js';
import { loadModule } from './load-sets.js';

const HELP = `usage: tracks-ab console [--sets <module>] [--conversions <sql>] [--param <value>]...
                         [--port <n>] [--host <address>] [--base-path <path>] [--read-only]
                         [--database-url <url>] [--schema <name>]

Serves the experiments console of a PostgreSQL database: every set with its status, traffic,
health and results, and the run-time controls as buttons. Ctrl-C stops it.

    --sets <module>        a module exporting the app's set classes (their weights and multi sets);
                           it may export \`conversions\` ({ sql, params }) too. Without it, the sets
                           of the catalogue are shown, their splits unchecked
    --conversions <sql>    the app's conversions: a query returning (user key, converted at)
    --param <value>        a parameter of the conversion query (repeatable)
    --port <n>             default 4000 (0: any free port)
    --host <address>       default 127.0.0.1 (this machine only)
    --base-path <path>     default /console
    --read-only            no buttons

Writes need the token in $TRACKS_CONSOLE_TOKEN (16 characters or more); without it, a token is
made for this run and printed. Each write is recorded with the name typed in the form and the
time.

database:
    --database-url <url>    a PostgreSQL server (needs pg); default: $DATABASE_URL
    --schema <name>         schema of the tracks-ab tables (default: public)
    (--pglite is refused: a PGlite folder is one process's database; mount tracksConsole in the app)`;

/** The set classes a module exports, without the members of an exported multi set (shown with it). */
function setClassesIn(moduleExports: Record<string, unknown>): AnySetClass[] {
  const found: AnySetClass[] = [];
  const members = new Set<string>();
  for (const value of Object.values(moduleExports)) {
    if (typeof value !== 'function') continue;
    try {
      const described = describeSet(value as AnySetClass);
      found.push(value as AnySetClass);
      if (described.kind === 'multi') for (const m of described.members) members.add(m.set.name);
    } catch {
      // Not a set class: other exports are allowed.
    }
  }
  return found.filter((cls) => {
    const d = describeSet(cls);
    return d.kind === 'multi' || !members.has(d.name);
  });
}

/** One request at a time: the command holds one connection, and a write's transaction must not interleave with a read. */
function serialised(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  let queue: Promise<void> = Promise.resolve();
  return (req: IncomingMessage, res: ServerResponse): void => {
    queue = queue.then(() => handler(req, res));
  };
}

/** `tracks-ab console`: the console of `tracks-ab/console` on a node:http server, for a PostgreSQL database. */
export const consoleCommand: Command = {
  name: 'console',
  summary: 'serve the experiments console (status, results, controls as buttons)',
  help: HELP,
  async run(args, { io, open }) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        sets: { type: 'string' },
        conversions: { type: 'string' },
        param: { type: 'string', multiple: true },
        port: { type: 'string' },
        host: { type: 'string' },
        'base-path': { type: 'string' },
        'read-only': { type: 'boolean' },
        ...DATABASE_OPTIONS,
      },
    });
    if (values.pglite !== undefined) {
      throw new UsageError(
        'the console does not open a PGlite folder: it is one process’s database, and the app holds it. Mount tracksConsole in the app (tracks-ab/console), or use a PostgreSQL server',
        consoleCommand,
      );
    }
    const port = Number(values.port ?? '4000');
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`option --port is invalid: ${JSON.stringify(values.port)}`, consoleCommand);
    const loaded =
      values.sets === undefined
        ? {}
        : await loadModule(values.sets).catch((error: unknown) => {
            throw new OperationError(`cannot load ${values.sets}: ${(error as Error).message}`, { cause: error });
          });
    const fromModule = loaded.conversions as ConversionQuery | undefined;
    const conversions = values.conversions === undefined ? fromModule : { sql: values.conversions, params: values.param ?? [] };
    const fromEnv = io.env.TRACKS_CONSOLE_TOKEN;
    if (fromEnv !== undefined && fromEnv.length < 16)
      throw new UsageError('TRACKS_CONSOLE_TOKEN is too short: 16 characters or more', consoleCommand);
    const token = values['read-only'] ? undefined : (fromEnv ?? randomBytes(18).toString('base64url'));
    const databaseUrl = values['database-url'] ?? io.env.DATABASE_URL;
    if (!databaseUrl) throw new UsageError('no database: set DATABASE_URL, or give --database-url <url>', consoleCommand);
    const db = await open({ databaseUrl });
    const handler = tracksConsole({
      db: db.client,
      sets: setClassesIn(loaded),
      conversions,
      allow: () => true,
      token,
      basePath: values['base-path'],
      schema: values.schema,
      who: () => null,
      onError: (error) => io.stderr(`tracks-ab console: ${error instanceof Error ? error.message : String(error)}`),
    });
    const server = createServer(serialised((req, res) => handler(req, res)));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, values.host ?? '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.stdout(`tracks-ab console: http://${host}:${address.port}${handler.basePath}/`);
    if (token !== undefined && fromEnv === undefined) io.stdout(`write token for this run: ${token}`);
    io.stdout('Ctrl-C stops.');
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await db.close().catch(() => undefined);
    return 0;
  },
};
