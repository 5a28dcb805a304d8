// `tracks-ab explain <key>`: for each set, the variant a user gets, why, and the evidence (store, log, controls, hash).
import { parseArgs } from 'node:util';
import { explainKey, type KeyExplanation } from '../console/explain.js';
import { UsageError, type Command, type CliIo } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { loadModule, setsIn } from './load-sets.js';
import { withDatabase } from './run-database.js';
import { formatTable } from './table.js';

const HELP = `usage: tracks-ab explain <key> --sets <module> [--set <name>] [--json]
                       [--pglite <dir> | --database-url <url>] [--schema <name>]

Says, for each set of the module (or only --set <name>), which variant the user with <key> gets,
the rule that decides it, and the evidence: the assignment store's record and when, the first
exposure, aliases, the run-time controls in force, the hash's bucket and the range holding it.
What only the app knows (the browser's sticky cookie, isEligible) is said plainly. Without a
database (--pglite, --database-url or $DATABASE_URL) only the code is read.

    --sets <module>    the module exporting the set classes (JavaScript, or TypeScript through tsx)
    --set <name>       only this set (or multi set and its members)
    --json             print JSON for scripts

${DATABASE_HELP}`;

function print(io: CliIo, explained: KeyExplanation): void {
  const rows = explained.sets.map((s) => [
    s.multi ? `  ${s.set}` : s.set,
    s.variant ?? '-',
    s.reason,
    s.evidence.hash.bucket === null ? '-' : String(s.evidence.hash.bucket),
    s.words,
  ]);
  io.stdout(formatTable(['SET', 'VARIANT', 'REASON', 'BUCKET', 'WHY'], rows));
  const alias = explained.aliasOf ? [`this key is an anonymous id aliased to user ${explained.aliasOf}`] : [];
  const aliases = explained.aliases.length > 0 ? [`anonymous ids aliased to this user: ${explained.aliases.join(', ')}`] : [];
  const unknown = [...new Set(explained.sets.flatMap((s) => s.evidence.unknown))];
  io.stdout(['', ...alias, ...aliases, ...unknown.map((u) => `note: ${u}`)].join('\n'));
}

/** `tracks-ab explain`. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'why a user has the variant they have, per set, with the evidence',
  help: HELP,
  async run(args, { io, open }) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...DATABASE_OPTIONS, sets: { type: 'string' }, set: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'whose? give a key' : 'give one key', explainCommand);
    if (values.sets === undefined) throw new UsageError('option --sets <module> is required (the module exporting the set classes)', explainCommand);
    const sets = setsIn(await loadModule(values.sets)).map((s) => s.cls);
    const options = { sets, setName: values.set, schema: values.schema };
    const database = values.pglite !== undefined || values['database-url'] !== undefined || io.env.DATABASE_URL !== undefined;
    const explained = database
      ? await withDatabase(values, io, open, (client) => explainKey(positionals[0], { ...options, client }))
      : await explainKey(positionals[0], options);
    if (values.json) io.stdout(JSON.stringify(explained, null, 2));
    else print(io, explained);
    return 0;
  },
};
