// Marks a PGlite folder as held by this process, so the command line can refuse to write where the app would never see it.

/** The file, in a PGlite data directory, that names the process holding it open. */
export const HOLDER_FILE = 'tracks-ab.holder.json';

/** What the holder file says. */
export interface PGliteHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly command: string;
}

interface FsLike {
  writeFileSync(path: string, data: string): void;
  readFileSync(path: string, encoding: 'utf8'): string;
  unlinkSync(path: string): void;
}

const held = new Set<string>();

/** node:fs and node:os without a static import: the postgres room also runs where there is no file system. */
function builtin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (proc?.getBuiltinModule?.(name) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The data directory of a PGlite instance on the file system, or null (a pg client, PGlite in memory or IndexedDB). */
export function pgliteFolderOf(client: unknown): string | null {
  const dir = (client as { dataDir?: unknown } | null)?.dataDir;
  if (typeof dir !== 'string' || dir === '' || /^[a-z]+:\/\//.test(dir)) return null;
  const path = builtin<{ resolve(p: string): string }>('node:path');
  return path ? path.resolve(dir) : dir;
}

/**
 * Writes the holder file in the folder of a PGlite client (once per folder and process) and
 * removes it when the process exits. Called by `migrate`, `publishSets`, `postgresControls`, the
 * store and the exposure sink; PGlite's own `postmaster.pid` says the folder is open, this file
 * says by whom. Never throws: a folder it cannot write is simply not marked.
 */
export function holdPGliteFolder(client: unknown): void {
  const dir = pgliteFolderOf(client);
  if (dir === null || held.has(dir)) return;
  const fs = builtin<FsLike>('node:fs');
  const os = builtin<{ hostname(): string }>('node:os');
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!fs || !proc) return;
  const file = `${dir}/${HOLDER_FILE}`;
  const holder: PGliteHolder = { pid: proc.pid, host: os?.hostname() ?? '', since: new Date().toISOString(), command: proc.argv.slice(1).join(' ') };
  try {
    fs.writeFileSync(file, JSON.stringify(holder));
  } catch {
    return;
  }
  held.add(dir);
  proc.once('exit', () => {
    try {
      const now = JSON.parse(fs.readFileSync(file, 'utf8')) as PGliteHolder;
      if (now.pid === proc.pid) fs.unlinkSync(file);
    } catch {
      // Gone already, or another process's now.
    }
  });
}
