// The contract every benchmark suite implements so that bench/run.ts can run it and print its rows.

/** What the runner hands each suite. */
export interface SuiteOptions {
  /** `--quick`: fewer keys, requests and rounds; the whole run finishes well under a minute. */
  readonly quick: boolean;
  /** Absolute path of the repository root (where dist/ is built). */
  readonly repoRoot: string;
  /** Absolute path of bench/ (where bench/node_modules holds the peers). */
  readonly benchRoot: string;
  /** Only these case ids, when the user passed `--cases a,b`; null for all. */
  readonly cases: readonly string[] | null;
  /** `--rounds N`, for the suites that honour it (http); null for each suite's own number. */
  readonly rounds: number | null;
  /** Progress output (goes to stderr, so stdout stays the report). */
  readonly log: (line: string) => void;
}

/** One line of the table: a median over rounds, in the suite's own unit. */
export interface Row {
  /** Short stable id, used by `--cases` and in JSON output (`tracks-default`). */
  readonly id: string;
  /** What the row measures, as printed (`tracks-ab default`). */
  readonly label: string;
  /** `peer`, `floor`, `subject`… a word printed beside the label; free text. */
  readonly kind: string;
  /** Median over the timed rounds. */
  readonly median: number;
  /** Fastest and slowest timed round, to show the noise. */
  readonly min: number;
  readonly max: number;
  /** Unit of median/min/max, printed in the column header of the suite's block (`ns/assignment`). */
  readonly unit: string;
  /** How many timed rounds the median is over. */
  readonly rounds: number;
  /**
   * Optional: the suite's own ratio of this row to its baseline, when it has a better estimate than
   * median / baseline median (the engine gives the median of per-round ratios, which a load spike
   * on a shared machine moves less). The runner prints it in the "vs baseline" column when present.
   */
  readonly ratio?: number;
}

/** What a suite returns: its rows, which row the ratios are against, and free-form notes. */
export interface SuiteResult {
  /** Suite name as printed in the table (`engine`, `http`). */
  readonly suite: string;
  /** One line that says what was measured (keys, rounds, experiment shape). */
  readonly title: string;
  /** The `id` of the row every other row's ratio is computed against; null for no ratios. */
  readonly baseline: string | null;
  readonly rows: readonly Row[];
  /** Lines printed under the table: memory figures, target checks, caveats. */
  readonly notes: readonly string[];
  /** Cases that could not be measured (a failed check, a crash), as sentences; the run exits 1. */
  readonly failures: readonly string[];
  /** Package name → version of what the suite measured, for RESULTS.md. */
  readonly versions: Readonly<Record<string, string>>;
}

/** A suite module (bench/engine/index.ts, bench/http/index.ts) exports `run` with this type. */
export type RunSuite = (options: SuiteOptions) => Promise<SuiteResult>;
