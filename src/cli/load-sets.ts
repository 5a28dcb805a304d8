// Loads the app's sets module for a command (JavaScript, or TypeScript through tsx) and finds the set classes it exports.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeSet, type MultiDescription, type SetDescription } from '../engine/describe-set.js';
import type { AnySetClass } from '../engine/track-set.js';
import { OperationError } from './command.js';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/** What tsx's CommonJS API gives: a require that compiles TypeScript for one call. */
interface TsxApi {
  require(id: string, fromFile: string): unknown;
}

/** tsx, from the app's folder first (its own devDependency), else beside tracks-ab; null when neither has it. */
function findTsx(): TsxApi | null {
  for (const base of [path.join(process.cwd(), 'package.json'), __filename]) {
    try {
      return createRequire(base)('tsx/cjs/api') as TsxApi;
    } catch {
      // Not installed there.
    }
  }
  return null;
}

/**
 * Loads a module by path: a TypeScript file through tsx (installed in the app or beside tracks-ab),
 * else require (CommonJS), else import() (ES modules). Throws an `OperationError` that says how to
 * go on when a TypeScript file cannot be loaded.
 */
export async function loadModule(file: string): Promise<Record<string, unknown>> {
  const resolved = path.resolve(file);
  if (TYPESCRIPT.test(resolved)) {
    const tsx = findTsx();
    if (tsx === null) {
      throw new OperationError(
        `cannot load ${file}: it is TypeScript, and loading TypeScript needs tsx, which is not installed. ` +
          'Install it (npm install --save-dev tsx) and run again, or give the compiled JavaScript module (for example dist/sets.js)',
      );
    }
    try {
      return tsx.require(resolved, resolved) as Record<string, unknown>;
    } catch (error) {
      throw new OperationError(`cannot load ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    return createRequire(resolved)(resolved) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_REQUIRE_ESM') return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    const hint = error instanceof SyntaxError && /export|import/.test(error.message) ? ' (an ES module: name it .mjs, or set "type": "module")' : '';
    throw new OperationError(`cannot load ${file}: ${(error as Error).message}${hint}`, { cause: error });
  }
}

/** A set class a module exports, with its description. */
export interface FoundSet {
  readonly cls: AnySetClass;
  readonly description: SetDescription | MultiDescription;
}

/** Every set class among a module's exports (other exports are allowed), described. */
export function setsIn(exports: Record<string, unknown>): FoundSet[] {
  const found: FoundSet[] = [];
  for (const value of Object.values(exports)) {
    if (typeof value !== 'function') continue;
    try {
      found.push({ cls: value as AnySetClass, description: describeSet(value as AnySetClass) });
    } catch {
      // Not a set class.
    }
  }
  return found;
}
