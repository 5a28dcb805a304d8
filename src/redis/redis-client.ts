// The few commands the Redis store sends, as a structural type ioredis (Redis and Cluster) satisfies, and how scripts are sent.
import { createHash } from 'node:crypto';

/** The commands the store queues on a pipeline (`client.pipeline()`), as ioredis types them. */
export interface RedisPipelineLike {
  evalsha(sha: string, numKeys: number, ...args: string[]): unknown;
  eval(script: string, numKeys: number, ...args: string[]): unknown;
  set(key: string, value: string, nx: 'NX'): unknown;
  /** One `[error, result]` pair per queued command; null when a transaction was discarded. */
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/**
 * What the Redis store needs of a client: an `ioredis` `Redis` or `Cluster` instance satisfies it,
 * as does any client with these methods. `hgetall` must answer an object whose own properties are
 * the fields (ioredis defines `__proto__` and `constructor` as own properties, so set names are
 * plain strings). A client with `isCluster: true` gets one command per user instead of a pipeline:
 * ioredis routes each to the node that holds the user's slot.
 */
export interface RedisClientLike {
  hgetall(key: string): Promise<Record<string, string>>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, nx: 'NX'): Promise<unknown>;
  evalsha(sha: string, numKeys: number, ...args: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  pipeline(): RedisPipelineLike;
  /** True on an ioredis `Cluster`: a pipeline may then only hold keys of one node. */
  readonly isCluster?: boolean;
}

/** A Lua script and its SHA1, sent with EVALSHA and, the first time a server has not seen it, with EVAL. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

/** Prepares a script: its SHA1 is what EVALSHA names it by. */
export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** One script call: its keys and arguments. */
export interface ScriptCall {
  readonly keys: readonly string[];
  readonly args: readonly string[];
}

// A server (or a cluster node) that restarted, or never ran the script, answers NOSCRIPT to EVALSHA.
const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOSCRIPT');

async function callOne(client: RedisClientLike, s: Script, call: ScriptCall): Promise<unknown> {
  const args = [...call.keys, ...call.args];
  try {
    return await client.evalsha(s.sha, call.keys.length, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return client.eval(s.source, call.keys.length, ...args);
  }
}

/** Throws the first error of a pipeline's replies; returns the indexes that answered NOSCRIPT. */
function failures(replies: Array<[Error | null, unknown]> | null, expected: number): number[] {
  if (replies === null || replies.length !== expected) throw new Error('the Redis pipeline was discarded');
  const missing: number[] = [];
  replies.forEach(([error], i) => {
    if (error === null) return;
    if (isNoScript(error)) missing.push(i);
    else throw error;
  });
  return missing;
}

/**
 * Runs a script once per call: in one pipeline (one round trip) on a single server, or as
 * concurrent commands on a cluster (each goes to its own node, pipelined on that node's
 * connection). Calls that find the script missing are sent again with its source (EVAL), which
 * also caches it on that server. Rejects with the first error; the calls are idempotent, so the
 * caller may retry the whole batch.
 */
export async function runScript(client: RedisClientLike, s: Script, calls: readonly ScriptCall[]): Promise<void> {
  if (calls.length === 0) return;
  if (client.isCluster === true) {
    await Promise.all(calls.map((call) => callOne(client, s, call)));
    return;
  }
  const pipeline = client.pipeline();
  for (const call of calls) pipeline.evalsha(s.sha, call.keys.length, ...call.keys, ...call.args);
  const missing = failures(await pipeline.exec(), calls.length);
  if (missing.length === 0) return;
  const again = client.pipeline();
  for (const i of missing) again.eval(s.source, calls[i]!.keys.length, ...calls[i]!.keys, ...calls[i]!.args);
  failures(await again.exec(), missing.length);
}

/** Sends `SET key value NX` for each pair: pipelined on a single server, concurrent on a cluster. */
export async function setEach(client: RedisClientLike, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
  if (pairs.length === 0) return;
  if (client.isCluster === true) {
    await Promise.all(pairs.map(([key, value]) => client.set(key, value, 'NX')));
    return;
  }
  const pipeline = client.pipeline();
  for (const [key, value] of pairs) pipeline.set(key, value, 'NX');
  failures(await pipeline.exec(), pairs.length); // SET never answers NOSCRIPT: any error is thrown
}
