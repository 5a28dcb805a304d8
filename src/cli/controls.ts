// `tracks-ab controls`: lists the sets and their run-time controls, and changes them (checked against the catalogue).
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { closestName } from '../engine/did-you-mean.js';
import { parseDecimal } from './decimal.js';
import { changeControl, listControls, removeControl, type ControlChange, type ControlListing } from '../postgres/controls-write.js';
import { OperationError, UsageError, type Command, type CliIo } from './command.js';
import { DATABASE_HELP, DATABASE_OPTIONS } from './database.js';
import { withDatabase } from './run-database.js';
import { formatTable } from './table.js';

const HELP = `usage: tracks-ab controls list [--json]
   or: tracks-ab controls disable <set> [--note <text>] [--by <name>]
   or: tracks-ab controls enable <set> [--note <text>] [--by <name>]
   or: tracks-ab controls pin <set> <variant> [--note <text>] [--by <name>]
   or: tracks-ab controls unpin <set> [--note <text>] [--by <name>]
   or: tracks-ab controls coverage <set> <0..1> [--note <text>] [--by <name>]
   or: tracks-ab controls pause <set> <variant>... [--note <text>] [--by <name>]
   or: tracks-ab controls resume <set> <variant>... [--note <text>] [--by <name>]
   or: tracks-ab controls reset <set>

Changes a set at run time, on every server of the app, without a deploy. A change naming a set or
a variant that no app published (publishSets) is refused whole.

    list        the published sets: what is in force, the controls, the code's statics
    disable     kill switch: everyone gets control (reason disabled), nothing is logged
    enable      runs the set again: everyone remembered gets their variant back (reason sticky)
    pin         everyone gets <variant> (reason pinned), nothing is logged; a MultiTrackSet
                is pinned to <member>:<variant>
    unpin       lifts a pin made here (a pin in the code stays)
    coverage    puts this fraction of eligible users in the test (0 to 1, or a percentage);
                no user moves from one variant to another
    pause       <variant> takes no new users; users the cookie or the store remembers in it
                keep it; its range of the hash is split among the open variants, so no other
                user moves (of a MultiTrackSet: name members)
    resume      <variant> takes new users again
    reset       forgets the set's controls: the code's statics apply again

    --json                  print JSON for scripts
    --note <text>           why, shown by list
    --by <name>             who, shown by list (default: your login name)

${DATABASE_HELP}`;

// Arguments after the action; -1: a set and at least one name.
const ACTIONS: Record<string, number> = { list: 0, disable: 1, enable: 1, pin: 2, unpin: 1, coverage: 2, pause: -1, resume: -1, reset: 1 };

/** `coverage 0.25`, `25%`: a fraction from 0 to 1 written as a plain decimal, or a usage error. */
function parseCoverage(text: string): number {
  const percent = text.endsWith('%');
  const value = parseDecimal(percent ? text.slice(0, -1) : text);
  const coverage = value === null ? null : percent ? value / 100 : value;
  if (coverage === null || coverage < 0 || coverage > 1) {
    throw new UsageError(`coverage must be a number from 0 to 1 (or 0% to 100%), not '${text}'`, controlsCommand);
  }
  return coverage;
}

/** What is in force, in words: `disabled`, `pinned long`, `running, coverage 20%`, `running`. */
function inForceWords(listing: ControlListing): string {
  const f = listing.inForce;
  if (!f) return 'not published';
  if (f.disabled) return 'disabled';
  if (f.pinned !== null) return `pinned ${f.pinned}`;
  const words = ['running'];
  if (f.coverage < 1) words.push(`coverage ${Math.round(f.coverage * 1000) / 10}%`);
  if (f.paused && f.paused.length > 0) words.push(`paused ${f.paused.join(' ')}`);
  return words.join(', ');
}

function controlWords(listing: ControlListing): string {
  const c = listing.record?.control;
  if (!c) return '-';
  const words = [];
  if (c.disabled !== undefined) words.push(c.disabled ? 'disabled' : 'enabled');
  if (c.pinned !== undefined) words.push(`pin ${c.pinned}`);
  if (c.coverage !== undefined) words.push(`coverage ${c.coverage}`);
  if (c.paused !== undefined) words.push(`pause ${c.paused.join(' ')}`);
  return words.join(', ') || '-';
}

function codeWords(listing: ControlListing): string {
  const s = listing.set?.statics;
  if (!s) return '-';
  const words = [s.disabled ? 'disabled' : 'enabled'];
  if (s.pinned !== null) words.push(`pin ${s.pinned}`);
  if (s.coverage !== 1) words.push(`coverage ${s.coverage}`);
  return words.join(', ');
}

function changedWords(listing: ControlListing): string {
  const r = listing.record;
  if (!r) return '-';
  return `${r.updatedAt.toISOString().slice(0, 16).replace('T', ' ')}Z${r.updatedBy ? ` by ${r.updatedBy}` : ''}`;
}

function print(io: CliIo, listings: readonly ControlListing[], json: boolean): void {
  if (json) {
    io.stdout(JSON.stringify(listings, null, 2));
    return;
  }
  if (listings.length === 0) {
    io.stdout('no set is published yet: the app calls publishSets(client, sets) at start-up');
    return;
  }
  const header = ['SET', 'IN FORCE', 'CONTROL', 'CODE', 'VARIANTS', 'CHANGED', 'NOTE'];
  const rows = listings.map((l) => [
    l.setName,
    inForceWords(l),
    controlWords(l),
    codeWords(l),
    l.set?.variants.join(', ') ?? '-',
    changedWords(l),
    l.record?.note ?? '',
  ]);
  io.stdout(formatTable(header, rows));
}

function defaultUser(io: CliIo): string | null {
  try {
    return io.env.USER ?? io.env.LOGNAME ?? userInfo().username;
  } catch {
    return null;
  }
}

/** `tracks-ab controls`. */
export const controlsCommand: Command = {
  name: 'controls',
  summary: 'list and change the run-time controls of sets (disable, enable, pin, coverage…)',
  help: HELP,
  async run(args, { io, open }) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...DATABASE_OPTIONS, json: { type: 'boolean' }, note: { type: 'string' }, by: { type: 'string' } },
      allowPositionals: true,
    });
    const [action, setName, argument] = positionals;
    if (action === undefined)
      throw new UsageError('name an action: list, disable, enable, pin, unpin, coverage, pause, resume or reset', controlsCommand);
    const arity = ACTIONS[action];
    if (arity === undefined || !Object.prototype.hasOwnProperty.call(ACTIONS, action)) {
      const near = closestName(action, Object.keys(ACTIONS));
      throw new UsageError(`'${action}' is not a controls action${near ? ` (did you mean '${near}'?)` : ''}`, controlsCommand);
    }
    if (arity < 0 ? positionals.length < 3 : positionals.length - 1 !== arity) {
      const want =
        arity < 0
          ? 'a set and at least one variant'
          : arity === 0
            ? 'no argument'
            : arity === 1
              ? 'a set'
              : action === 'pin'
                ? 'a set and a variant'
                : 'a set and a coverage';
      throw new UsageError(`controls ${action} takes ${want}`, controlsCommand);
    }
    const json = values.json === true;
    const write = { schema: values.schema, by: values.by ?? defaultUser(io), note: values.note ?? null };
    const change: ControlChange | null =
      action === 'disable'
        ? { disabled: true }
        : action === 'enable'
          ? { disabled: false }
          : action === 'pin'
            ? { pinned: argument! }
            : action === 'unpin'
              ? { pinned: null }
              : action === 'coverage'
                ? { coverage: parseCoverage(argument!) }
                : action === 'pause'
                  ? { pause: positionals.slice(2) }
                  : action === 'resume'
                    ? { resume: positionals.slice(2) }
                    : null;
    const listings = await withDatabase(
      values,
      io,
      open,
      async (client) => {
        if (action === 'reset') {
          const removed = await removeControl(client, setName!, { schema: values.schema });
          const all = await listControls(client, { schema: values.schema });
          if (!removed && !all.some((l) => l.setName === setName)) throw new OperationError(`set "${setName}" has no controls and is not published`);
          return all.filter((l) => l.setName === setName);
        }
        if (change !== null) await changeControl(client, setName!, change, write);
        const all = await listControls(client, { schema: values.schema });
        return setName === undefined ? all : all.filter((l) => l.setName === setName);
      },
      { access: action === 'list' ? 'read' : 'write' },
    );
    if (action === 'list' || json) print(io, listings, json);
    else {
      const listing = listings[0];
      io.stdout(`${setName}: ${listing ? inForceWords(listing) : 'no controls (not published)'}`);
    }
    return 0;
  },
};
