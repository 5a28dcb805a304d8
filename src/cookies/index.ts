// The sticky and anonymous-id cookies: what they remember, their codec, and the signers (Node, Web Crypto, prepared).
export { Signer } from './node-signer.js';
export { WebCryptoSigner } from './web-crypto-signer.js';
export { PreparedSigner } from './prepared-signer.js';
export type { CookieSigner } from './signer.js';
export { StickyState } from './sticky-state.js';
