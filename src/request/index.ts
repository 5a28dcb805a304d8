// One request's view, framework-neutral: options, the exchange contract adapters implement, req.tracks.
export { RequestTracks } from './tracks.js';
export { tracksFor } from './begin.js';
export type { Tracks } from './tracks-api.js';
export { createSetup } from './setup.js';
export type { Setup } from './setup.js';
export { WRITE_HEADERS, type HeadersListener, type HttpExchange } from './exchange.js';
export type { Options, CookieOptions, OverrideOptions, BotOptions, KeySource } from './options.js';
export type { ExposureEvent, RequestErrorInfo, HookErrorInfo, StoreErrorInfo, ErrorSource } from './events.js';
export type { StoreOption } from './parse-store-option.js';
