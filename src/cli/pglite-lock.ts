// Refuses to open a PGlite folder another process has open: what the command wrote there would never reach that process.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { HOLDER_FILE, type PGliteHolder } from '../postgres/pglite-holder.js';
import { OperationError } from './command.js';

/** What the command does with the database: a write must reach the app; a read must not be stale. */
export type Access = 'read' | 'write';

/** Who holds a PGlite folder open, when someone does. */
export interface FolderInUse {
  /** The process that says it holds it (tracks-ab's holder file), or null when the folder says nothing of who. */
  readonly holder: PGliteHolder | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is only someone else's.
    return (error as { code?: string }).code === 'EPERM';
  }
}

function readHolder(dir: string): PGliteHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path.join(dir, HOLDER_FILE), 'utf8')) as PGliteHolder;
    return typeof holder.pid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Whether another process has the PGlite folder open: PGlite writes `postmaster.pid` when it
 * opens a folder and removes it when it closes; tracks-ab (migrate, publishSets, the controls, the
 * store, the sink) writes `tracks-ab.holder.json` naming its process. Null when the folder is free.
 */
export function pgliteInUse(dir: string): FolderInUse | null {
  if (!existsSync(path.join(dir, 'postmaster.pid'))) return null;
  const holder = readHolder(dir);
  if (holder !== null && holder.pid === process.pid) return null;
  const live = holder !== null && (holder.host !== hostname() || alive(holder.pid));
  return { holder: live ? holder : null };
}

const WAYS =
  'Stop the app first; or use the console mounted in the app, whose controls write through its own connection; ' +
  'or keep the database on a PostgreSQL server (--database-url), where every process sees every change at once.';

/** The refusal, saying what would have gone wrong and what to do instead. */
export function inUseError(dir: string, use: FolderInUse, access: Access): OperationError {
  const risk =
    access === 'write'
      ? 'a change written here would never reach it (PGlite keeps one copy of the database in each process) and would be lost when it stops'
      : 'what this command would read here is what that process last wrote to disk, which can be older than what it holds';
  const who = use.holder
    ? `another process (pid ${use.holder.pid}${use.holder.command ? `: ${use.holder.command}` : ''}, since ${use.holder.since})`
    : `another process, or it was not closed cleanly (${path.join(dir, 'postmaster.pid')} is there and no live process is named in ${HOLDER_FILE})`;
  const stale = use.holder ? '' : ` If no process has it open (a crash left it), delete ${path.join(dir, 'postmaster.pid')} and run again.`;
  return new OperationError(`the PGlite folder ${dir} is open in ${who}: ${risk}. ${WAYS}${stale}`);
}

/** Throws the refusal when another process has the folder open. */
export function assertPGliteFree(dir: string, access: Access): void {
  const resolved = path.resolve(dir);
  const use = pgliteInUse(resolved);
  if (use !== null) throw inUseError(resolved, use, access);
}
