// What one `tracks(sets, options)` call prepares at start-up and every request then shares.
import { parseOptions, type Config, type Options } from './options.js';
import { buildRegistry, type Registry } from './registry.js';
import { RequestTracks } from './request-tracks.js';
import type { HttpExchange } from './request-contract.js';
import { Signer } from './signer.js';
import type { AnySetClass } from './track-set.js';

/** The validated configuration, the compiled sets and the signer. */
export interface Setup<Req> {
  readonly config: Config<Req>;
  readonly registry: Registry;
  readonly signer: Signer;
}

/**
 * Validates everything once, so a misconfiguration fails at start-up with a message that says
 * what to fix, and returns what adapters need per request.
 */
export function createSetup<Req>(sets: readonly AnySetClass[], options: Options<Req> | undefined): Setup<Req> {
  const config = parseOptions(options);
  const registry = buildRegistry(sets);
  return Object.freeze({ config, registry, signer: new Signer(config.cookie.secrets) });
}

/** Builds the `tracks` object of one request. */
export function tracksFor<Req>(setup: Setup<Req>, exchange: HttpExchange, req: Req): RequestTracks<Req> {
  return new RequestTracks(setup, exchange, req);
}
