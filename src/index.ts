// tracks-ab: sticky, deterministic A/B testing of back-end code paths; the engine and the request layer.
export * from './engine/index.js';
export * from './request/index.js';
