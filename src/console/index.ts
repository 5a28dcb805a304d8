// tracks-ab/console: the experiments console, a node:http handler over the report, the metrics and the runtime controls.
export { explainKey } from './explain.js';
export type { ExplainOptions, HashEvidence, KeyExplanation, SetExplanation } from './explain.js';
