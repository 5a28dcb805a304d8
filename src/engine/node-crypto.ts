// Node's crypto module, loaded on first use so that importing the engine needs no Node built-in.
import type * as NodeCrypto from 'node:crypto';

let loaded: typeof NodeCrypto | undefined;

/**
 * `node:crypto`, for the parts that need it: the Python-compatible md5 mode and cookie signing.
 * The default assignment path never calls it, so the engine also loads in runtimes without it.
 */
export function nodeCrypto(): typeof NodeCrypto {
  if (loaded) return loaded;
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const found = typeof get === 'function' ? (get('node:crypto') as typeof NodeCrypto | undefined) : undefined;
  if (!found)
    throw new Error("tracks-ab: node:crypto is not available here; algorithm 'python' and cookie signing need it (Node >= 20.16, Deno, Bun)");
  return (loaded = found);
}
