// `tracks-ab migrate`: creates or upgrades the tables of tracks-ab.
import { parseArgs } from 'node:util';
import { migrate, MIGRATIONS } from '../postgres/migrations.js';
import { UsageError, type Command } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { withDatabase } from './run-database.js';

const HELP = `usage: tracks-ab migrate [--json] [--pglite <dir> | --database-url <url>] [--schema <name>]

Creates or upgrades the tracks-ab tables. Idempotent and safe from several processes at once:
each step is applied once and recorded in tracks_migrations.

    --json                  print {"applied": [...]} for scripts

${DATABASE_HELP}`;

/** `tracks-ab migrate`. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the tracks-ab tables',
  help: HELP,
  async run(args, { io, open }) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...DATABASE_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, migrateCommand);
    const result = await withDatabase(values, io, open, (client) => migrate(client, { schema: values.schema }), { access: 'write' });
    if (values.json) io.stdout(JSON.stringify(result));
    else if (result.applied.length === 0) io.stdout(`already up to date (${MIGRATIONS.length} migrations)`);
    else io.stdout(`applied ${result.applied.join(', ')}`);
    return 0;
  },
};
