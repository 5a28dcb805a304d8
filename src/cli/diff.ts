// `tracks-ab diff --sets old --sets new`: before a deploy, how many users a change of sets would move, and how many stay held.
import { parseArgs } from 'node:util';
import { compile, type CompiledMulti, type CompiledSet } from '../engine/compile.js';
import { OperationError, UsageError, type Command, type CliIo } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { multiShift, setShift, type SetShift } from './diff-shares.js';
import { heldUsers, type HeldUsers } from './diff-held.js';
import { loadModule, setsIn } from './load-sets.js';
import { withDatabase } from './run-database.js';
import { formatTable } from './table.js';

const HELP = `usage: tracks-ab diff --sets <old module> --sets <new module> [--accept] [--json]
                      [--pglite <dir> | --database-url <url>] [--schema <name>]

Compares two versions of the app's sets (the module deployed now, and the one about to be) and
prints, for each set, the share of users whose hashed variant would change: moved to another
variant, or taken out of or put in the test by coverage. Shares are exact, from the bucket ranges
(10,000 buckets; tracks 0.1.x sets: from the md5 residues), not sampled.

With a database (--pglite, --database-url or $DATABASE_URL), it also counts the users who keep
their variant anyway: those the assignment store remembers, and those only the exposure log knows,
who keep theirs while their sticky cookie lasts.

Exits 1 when a change would move users that only the hash holds (anonymous visitors without the
cookie, apps without a store), unless --accept.

    --sets <module>    the old, then the new module exporting the set classes (JavaScript, or
                       TypeScript through tsx)
    --accept           exit 0 even when users would move
    --json             print JSON for scripts

${DATABASE_HELP}`;

type Found = CompiledSet | CompiledMulti;

/** Every set of a module by name, with the members of its multi sets. */
async function setsOf(file: string): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  for (const { cls } of setsIn(await loadModule(file))) {
    const compiled = compile(cls);
    found.set(compiled.name, compiled);
    if (compiled.kind === 'multi') for (const member of compiled.members) found.set(member.name, member);
  }
  if (found.size === 0) throw new OperationError(`${file} exports no set classes`);
  return found;
}

function gone(name: string, set: Found, status: 'added' | 'removed'): SetShift {
  return { name, kind: set.kind, status, changed: null, moved: null, leaving: null, entering: null, notes: [] };
}

/** The shifts of every set named in either version, sorted by name. */
export function shiftsOf(before: ReadonlyMap<string, Found>, after: ReadonlyMap<string, Found>): SetShift[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names.map((name) => {
    const [a, b] = [before.get(name), after.get(name)];
    if (!a) return gone(name, b!, 'added');
    if (!b) return gone(name, a, 'removed');
    if (a.kind === 'multi' && b.kind === 'multi') return multiShift(a, b);
    if (a.kind === 'set' && b.kind === 'set') return setShift(a, b);
    return {
      ...gone(name, b, 'added'),
      status: 'changed',
      notes: [`became a ${b.kind === 'multi' ? 'MultiTrackSet' : 'set'}: every user is hashed anew`],
    };
  });
}

/** Moves users the hash alone holds: a set of both versions whose hashed variant changes for some users. */
export function movesHashHeld(shift: SetShift): boolean {
  return shift.status === 'changed' && (shift.changed === null || shift.changed > 0);
}

function percent(share: number | null): string {
  if (share === null) return 'all';
  if (share === 0) return '0';
  return `${(Math.round(share * 10000) / 100).toFixed(2)}%`;
}

function print(io: CliIo, shifts: readonly SetShift[], held: ReadonlyMap<string, HeldUsers> | null): void {
  const header = ['SET', 'STATUS', 'CHANGED', 'MOVED', 'OUT', 'IN', ...(held ? ['STORE KEEPS', 'COOKIE KEEPS'] : []), 'NOTES'];
  const rows = shifts.map((s) => {
    const h = held?.get(s.name);
    const heldCells = held ? [h ? `${h.storeKeeps} of ${h.stored}` : '-', h ? `${h.cookieKeeps} of ${h.exposedOnly}` : '-'] : [];
    const shares = s.status === 'added' || s.status === 'removed' ? ['-', '-', '-', '-'] : [s.changed, s.moved, s.leaving, s.entering].map(percent);
    return [s.name, s.status, ...shares, ...heldCells, s.notes.join('; ')];
  });
  io.stdout(formatTable(header, rows));
  if (!held) io.stdout('\n(no database given: the users the store or their cookie holds are not counted)');
}

/** `tracks-ab diff`. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'before a deploy: the share of users a change of sets would move, and who stays held',
  help: HELP,
  async run(args, { io, open }) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...DATABASE_OPTIONS, sets: { type: 'string', multiple: true }, accept: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, diffCommand);
    const files = values.sets ?? [];
    if (files.length !== 2) throw new UsageError('give --sets twice: the old module, then the new one', diffCommand);
    const [before, after] = [await setsOf(files[0]!), await setsOf(files[1]!)];
    const shifts = shiftsOf(before, after);
    const database = values.pglite !== undefined || values['database-url'] !== undefined || io.env.DATABASE_URL !== undefined;
    const held = database ? await withDatabase(values, io, open, (client) => heldUsers(client, shifts, before, after, values.schema)) : null;
    if (values.json) io.stdout(JSON.stringify({ sets: shifts.map((s) => ({ ...s, held: held?.get(s.name) ?? null })) }, null, 2));
    else print(io, shifts, held);
    const moving = shifts.filter(movesHashHeld);
    if (moving.length > 0 && values.accept !== true) {
      io.stderr(
        `tracks-ab diff: this change moves users that only the hash holds, in ${moving.map((s) => s.name).join(', ')}: ` +
          'check the shares above, then run again with --accept (or keep the old weights and variants, or give the set a new name to start afresh)',
      );
      return 1;
    }
    return 0;
  },
};
