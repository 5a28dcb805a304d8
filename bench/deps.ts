// Installs bench/'s own dependencies (the peer libraries) when missing or older than its lockfile.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function mtime(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Runs `npm ci` in bench/ when bench/node_modules is absent, or when its record of what was
 * installed (`node_modules/.package-lock.json`) predates bench/package-lock.json.
 */
export function ensureBenchDependencies(benchRoot: string, log: (line: string) => void): void {
  const installed = mtime(path.join(benchRoot, 'node_modules', '.package-lock.json'));
  const locked = mtime(path.join(benchRoot, 'package-lock.json'));
  if (installed !== null && locked !== null && installed >= locked) return;
  log('bench: installing bench/ dependencies (npm ci in bench/)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: benchRoot, stdio: ['ignore', 2, 2] });
}
