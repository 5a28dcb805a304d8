// The shape of a benchmark case: what bench/engine/cases/*.mjs modules return from `create(id)`.

/** One way of assigning a key to one of three variants, set up once and called per key. */
export interface Case {
  /**
   * Every value `assign` can return, for the distribution check; null for a case that assigns
   * nothing (the key-building floor), which is then only checked for determinism.
   */
  readonly variants: readonly (string | number)[] | null;
  /** Assigns one key. Called 200,000 times a round, so it holds no setup work. */
  readonly assign: (key: string) => string | number;
  /** Releases what the case opened (timers, instances), before the child exits. */
  readonly close?: () => void;
}

/** A case module: `export function create(id)`, one module per library or family of floors. */
export interface CaseModule {
  create(id: string): Case | Promise<Case>;
}
