// The cookie secret of the coconut store examples: TRACKS_SECRET, else a development-only default.

/**
 * Signs the demo's cookies in development when TRACKS_SECRET is unset, so `npm start` works with
 * nothing to configure. It is public (it is in this file), so it is never used in production.
 */
const DEVELOPMENT_ONLY_SECRET = 'coconut-store-development-only-secret';

/**
 * The secret to sign cookies with: `given`, else `TRACKS_SECRET`, else, only where NODE_ENV is not
 * `production`, the development-only default. In production without a secret it returns
 * undefined, and `tracks()` refuses to start (`ERR_TRACKS_NO_SECRET`): visitors could otherwise
 * sign their own variants, and prices.
 */
export function cookieSecret(given?: string | readonly string[], env: NodeJS.ProcessEnv = process.env): string | readonly string[] | undefined {
  const secret = given ?? env.TRACKS_SECRET;
  if (secret !== undefined && secret !== '') return secret;
  return env.NODE_ENV === 'production' ? undefined : DEVELOPMENT_ONLY_SECRET;
}
