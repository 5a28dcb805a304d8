// Whether the app runs in production, as NODE_ENV says, read safely on runtimes that have no `process`.

/**
 * True when NODE_ENV is `production`, and also when it cannot be read: no `process` (Cloudflare
 * Workers without nodejs_compat), or no permission to read it (Deno without `--allow-env`). Where
 * the environment is unknown, the production rules hold: the QA override is off by default, and
 * without `cookie.secret` the middleware refuses to start unless `cookie.editableByVisitors` is
 * true. Read once, at start-up, by the option parser.
 */
export function isProduction(): boolean {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env === undefined || env.NODE_ENV === 'production';
  } catch {
    return true;
  }
}
