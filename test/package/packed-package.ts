// The package as npm would publish it: packs a fresh git clone once per test run and installs the
// tarball into throw-away projects, for the packaging, type-check and runtime tests to share.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository (or worktree) the tests run in. */
export const root = resolve(__dirname, '../..');

const execFileAsync = promisify(execFile);

/** The fields of package.json these tests read. */
export interface Manifest {
  name: string;
  version: string;
  type?: string;
  sideEffects?: boolean;
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions?: Record<string, Record<string, string[]>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  repository?: { type: string; url: string };
  homepage?: string;
  bugs?: { url: string };
  keywords?: string[];
  files?: string[];
}

/** One entry point of the package, read from `exports`: adding one to package.json adds it to every test. */
export interface EntryPoint {
  /** What a user imports: `tracks-ab`, `tracks-ab/express`… */
  specifier: string;
  /** The key in `exports`: `.`, `./express`… */
  subpath: string;
  /** The declaration file, relative to the package: `dist/adapters/express.d.ts`. */
  types: string;
  /** The JavaScript file, relative to the package. */
  js: string;
}

/** A packed tarball and what npm said about it. */
export interface Packed {
  /** The temporary folder with the clone and the tarball, removed when the test process exits. */
  dir: string;
  tarball: string;
  /** Every path in the tarball, relative to the package. */
  files: string[];
  /** Bytes of the .tgz, and of its files unpacked. */
  size: number;
  unpackedSize: number;
  manifest: Manifest;
}

/** The package's entry points, from its `exports` (the `./package.json` export excepted). */
export function entryPoints(manifest: Manifest): EntryPoint[] {
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    if (typeof target === 'string') return [];
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    return [{ specifier, subpath, types: target.types.replace(/^\.\//, ''), js: target.default.replace(/^\.\//, '') }];
  });
}

let packing: Promise<Packed> | undefined;

/** The tarball of a fresh clone, packed on first use and shared by every test file of the run. */
export function packedPackage(): Promise<Packed> {
  packing ??= pack();
  return packing;
}

async function pack(): Promise<Packed> {
  const dir = mkdtempSync(join(tmpdir(), 'tracks-ab-pack-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const clone = join(dir, 'clone');
  await execFileAsync('git', ['clone', '--quiet', '--shared', root, clone]);
  carryUncommittedChanges(clone);
  // The clone builds with the checkout's installed packages (`npm ci` ran there), as CI would.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  // No --ignore-scripts: `prepack` must build dist/, which a clone does not have.
  const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: clone, maxBuffer: 64 << 20 });
  const [report] = JSON.parse(stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  if (!report) throw new Error(`npm pack printed no report: ${stdout}`);
  return {
    dir,
    tarball: join(dir, report.filename),
    files: report.files.map((f) => f.path),
    size: report.size,
    unpackedSize: report.unpackedSize,
    manifest: JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as Manifest,
  };
}

/**
 * A clone has the last commit; a developer running the tests means the files they see. Uncommitted
 * changes and new files are carried over (in CI the checkout is clean and this does nothing).
 */
function carryUncommittedChanges(clone: string): void {
  const diff = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: root });
  if (diff.length > 0) execFileSync('git', ['apply', '--whitespace=nowarn'], { cwd: clone, input: diff });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  for (const file of untracked.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(root, file), join(clone, file));
  }
}

/**
 * Makes `project` a project with the tarball installed: `node_modules/tracks-ab` holds its files (a
 * real folder, so its own imports resolve from the project, as after `npm install`), its dependencies
 * link to this repository's copies, and each name in `links` points at a package installed here
 * (`{ fastify: 'fastify4' }` makes `fastify` Fastify 4). With `everyPackage`, every other package
 * installed here is linked under its own name too (type packages, the frameworks' own dependencies).
 *
 * TypeScript resolves a linked file's imports from where the link points, in this repository's tree;
 * type packages (`@types/*`, @types/node excepted) are therefore copied, so that `@types/koa` and
 * `@types/koa-compose` find the project's `koa` and `content-disposition`, as in a user's install.
 */
export function installInto(project: string, packed: Packed, links: Record<string, string>, everyPackage = false): void {
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, packed.manifest.name), { recursive: true });
  execFileSync('tar', ['-xzf', packed.tarball, '-C', join(modules, packed.manifest.name), '--strip-components=1']);
  const own = new Set([...(everyPackage ? installedPackages() : []), ...Object.keys(packed.manifest.dependencies ?? {})]);
  own.delete(packed.manifest.name);
  for (const name of Object.keys(links)) own.delete(name);
  for (const [name, target] of [...[...own].map((n) => [n, n] as const), ...Object.entries(links)]) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    if (name.startsWith('@types/') && name !== '@types/node')
      cpSync(join(root, 'node_modules', target), join(modules, name), { recursive: true, dereference: true });
    else symlinkSync(join(root, 'node_modules', target), join(modules, name), 'dir');
  }
}

/** Every package installed at the top of this repository's node_modules, scoped ones by `@scope/name`. */
function installedPackages(): string[] {
  const modules = join(root, 'node_modules');
  return readdirSync(modules).flatMap((name) => {
    if (name.startsWith('.')) return [];
    return name.startsWith('@') ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name];
  });
}

/** Runs a command to its end; resolves with its output and exit code instead of throwing. */
export async function runCommand(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, maxBuffer: 64 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
  }
}
