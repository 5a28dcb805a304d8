// The versions of the packages a suite measured, as the repository resolves them, for RESULTS.md.
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Package name → the version that `repoRoot` resolves (each package's own package.json). */
export function packageVersions(repoRoot: string, names: readonly string[]): Record<string, string> {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  return Object.fromEntries(names.map((name) => [name, (require(`${name}/package.json`) as { version: string }).version]));
}
