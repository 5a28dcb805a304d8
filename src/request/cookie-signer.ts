// The signing contract the sticky state uses: Node's HMAC signer, or a Fetch request's pre-verified one.
import type { Unsigned } from './signer.js';

/**
 * What the request layer needs to sign and verify cookie values, synchronously. `Signer`
 * (node:crypto) implements it for the Node adapters; the Fetch adapter, whose Web Crypto is
 * async, hands each request a `PreparedSigner` that verified the request's cookies beforehand.
 */
export interface CookieSigner {
  /** Whether values are signed at all (false without a secret). */
  readonly signs: boolean;
  /** `value + '.' + base64url(HMAC-SHA256(firstSecret, value))`, or `value` when unsigned. */
  sign(value: string): string;
  /** The value when the signature matches one of the secrets, and whether it must be re-signed. */
  unsign(signed: string): Unsigned;
}
