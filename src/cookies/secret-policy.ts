// Which cookie secrets a middleware may start with: none blank, and none missing in production unless the app opts out.
import { invalidOption as invalid } from '../engine/option-checks.js';
import { TracksError } from '../engine/errors.js';
import { isProduction } from './node-env.js';

/**
 * The secrets, each a string with more than blanks in it. Without one, NODE_ENV=production (read
 * now, at start-up; a NODE_ENV that cannot be read, as on Workers, counts as production) refuses
 * to go on unless `editableByVisitors` is true: an unset variable in
 * `secret: process.env.TRACKS_SECRET` must not quietly serve cookies visitors can edit.
 */
export function parseSecrets(secret: unknown, editableByVisitors: unknown): readonly string[] {
  const secrets: unknown = secret === undefined ? [] : typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(secrets) || secrets.some((s) => typeof s !== 'string' || s.trim() === '')) {
    throw invalid('cookie.secret', secret, 'expected a non-empty string or an array of them, not blank');
  }
  const editable = editableByVisitors ?? false;
  if (typeof editable !== 'boolean') throw invalid('cookie.editableByVisitors', editable, 'expected true or false');
  if (editable && secrets.length > 0) {
    throw invalid('cookie.editableByVisitors', editable, 'a secret is set, so the cookies are signed and not editable: remove one of the two');
  }
  if (secrets.length === 0 && !editable && isProduction()) {
    throw new TracksError(
      'ERR_TRACKS_NO_SECRET',
      'option cookie.secret is missing: NODE_ENV is production (or cannot be read, which counts as production), and without a secret visitors can edit their cookies and choose ' +
        'their own variant (their own price). Set cookie.secret, for example from an environment variable that is set in production; ' +
        'or, to serve unsigned cookies on purpose, set cookie.editableByVisitors: true',
    );
  }
  return Object.freeze([...(secrets as string[])]);
}
