// The engine suite's cases: what each row measures and which module under cases/ implements it.

/** A row of the engine suite. */
export interface CaseSpec {
  readonly id: string;
  readonly label: string;
  /** `subject` (tracks-ab), `peer` (another library) or `floor` (hand-written lower bound). */
  readonly kind: 'subject' | 'peer' | 'floor';
  /** File under bench/engine/cases/ whose `create(id)` builds the case. */
  readonly module: string;
  /** The id handed to `create`, when it differs from `id` (the same case with prebuilt keys). */
  readonly create?: string;
  /** True: keys are built before the timed loop, which then only reads them from an array. */
  readonly prebuiltKeys?: boolean;
}

/** The baseline every ratio is against. */
export const BASELINE = 'tracks-default';

export const CASES: readonly CaseSpec[] = [
  { id: 'tracks-default', label: 'tracks-ab default (v1, murmur3)', kind: 'subject', module: 'tracks-ab.mjs' },
  { id: 'tracks-python', label: 'tracks-ab python mode (md5)', kind: 'subject', module: 'tracks-ab.mjs' },
  { id: 'growthbook-per-request', label: 'GrowthBook, instance per request', kind: 'peer', module: 'growthbook.mjs' },
  { id: 'growthbook-client', label: 'GrowthBookClient.runInlineExperiment', kind: 'peer', module: 'growthbook.mjs' },
  { id: 'unleash', label: 'unleash-client getVariant (offline)', kind: 'peer', module: 'unleash.mjs' },
  { id: 'planout', label: 'PlanOut UniformChoice', kind: 'peer', module: 'planout.mjs' },
  { id: 'floor-key', label: 'build the key string only', kind: 'floor', module: 'floors.mjs' },
  { id: 'floor-fnv', label: 'FNV-1a + bucket range', kind: 'floor', module: 'floors.mjs' },
  { id: 'floor-murmur', label: 'MurmurHash3 + bucket range', kind: 'floor', module: 'floors.mjs' },
  { id: 'md5-createhash', label: 'md5 crypto.createHash, hex', kind: 'floor', module: 'md5.mjs' },
  { id: 'md5-oneshot', label: 'md5 crypto.hash one-shot, hex', kind: 'floor', module: 'md5.mjs' },
  { id: 'md5-oneshot-latin1', label: 'md5 crypto.hash one-shot, latin1', kind: 'floor', module: 'md5.mjs' },
  // The key of a real request already exists (a session's user id): the same two cases without
  // building the key in the loop show what assignment itself costs, net of the key's allocation.
  {
    id: 'tracks-default-prebuilt',
    label: 'tracks-ab default, prebuilt keys',
    kind: 'subject',
    module: 'tracks-ab.mjs',
    create: 'tracks-default',
    prebuiltKeys: true,
  },
  {
    id: 'floor-murmur-prebuilt',
    label: 'MurmurHash3 + bucket range, prebuilt keys',
    kind: 'floor',
    module: 'floors.mjs',
    create: 'floor-murmur',
    prebuiltKeys: true,
  },
];
