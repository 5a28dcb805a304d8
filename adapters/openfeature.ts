// An OpenFeature server provider over registered track sets: the flag key is the set's name, the value its variant's.
import {
  ErrorCode,
  StandardResolutionReasons,
  type EvaluationContext,
  type FlagMetadata,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type ResolutionReason,
} from '@openfeature/server-sdk';
import {
  Assignment,
  MultiAssignment,
  type AnySetClass,
  type ExposureEvent,
  type Reason,
  checkKey,
  type ErrorSource,
  type RequestErrorInfo,
} from '../src/index.js';
import {
  buildRegistry,
  callSafely,
  checkKnownOptions,
  functionOption,
  optionsObject,
  exposureEvent,
  invalidOption,
  parseStoreOption,
  replaceSuperseded,
  assignRemembered,
  serializeKey,
  AsyncHookError,
  type ControlsSource,
  type StoreClient,
  type StoreOption,
  syncAnswer,
  type CompiledMulti,
  type CompiledSet,
  type CompiledTrackSet,
} from '../src/request/adapter-kit.js';

/** Options of the provider. */
export interface OpenFeatureOptions {
  /**
   * Builds the `context` the sets' `isEligible` read from the OpenFeature evaluation context.
   * Default: the evaluation context itself (`{ targetingKey, vip: true, … }`). It must answer
   * synchronously, like every tracks-ab hook: a promise is an error (`ERR_TRACKS_ASYNC_HOOK`).
   */
  context?: (evaluationContext: EvaluationContext) => unknown;
  /** Called for each evaluation that counts as an exposure (reasons `hash`); `req` is the evaluation context. */
  onExposure?: (event: ExposureEvent<EvaluationContext>) => void | Promise<void>;
  /**
   * Called when `isEligible`, `context` or `onExposure` throws, rejects, or answers with a promise
   * where a value was expected (`ERR_TRACKS_ASYNC_HOOK`). Default: console.error. It may return a
   * promise: a rejection (or a throw) is swallowed.
   */
  onError?: (error: unknown, info: RequestErrorInfo<EvaluationContext>) => unknown;
  /**
   * Run-time controls (kill switch, pin, coverage), as the middleware takes them: `new
   * MemoryControls()`, `postgresControls(client)`. A disabled or pinned set is so for every evaluation.
   */
  controls?: ControlsSource;
  /**
   * Where users' variants are remembered (a `StoreClient`, or a bare store wrapped in one), as
   * the middleware takes it: an evaluation loads the targeting key's records (within the
   * client's `timeoutMs`), gives a remembered variant (reason `sticky`, not a first exposure) and
   * saves new enrolments, so each user has one first exposure per set, on every server.
   */
  store?: StoreOption;
}

const OPTION_NAMES: { [K in keyof Required<OpenFeatureOptions>]: true } = {
  context: true,
  onExposure: true,
  onError: true,
  controls: true,
  store: true,
};

/**
 * tracks-ab's reasons in OpenFeature's words. The tracks-ab reason itself is in the flag
 * metadata (`reason`), so nothing is lost: `hash` is a SPLIT; control by a rule that kept the
 * user out (ineligible, coverage, another member of a multi set) is the DEFAULT; a kill switch
 * is DISABLED; a pinned winner is STATIC; an `isEligible` or `context` that failed is an ERROR.
 * `unidentified` (a request-layer peek before a visitor has an id) never comes out of the
 * provider, whose evaluations without a targeting key are TARGETING_KEY_MISSING errors; it would
 * be control by rule, the DEFAULT.
 */
export const REASONS: Readonly<Record<Reason, ResolutionReason>> = Object.freeze({
  hash: StandardResolutionReasons.SPLIT,
  random: StandardResolutionReasons.SPLIT,
  sticky: StandardResolutionReasons.SPLIT,
  forced: StandardResolutionReasons.TARGETING_MATCH,
  pinned: StandardResolutionReasons.STATIC,
  disabled: StandardResolutionReasons.DISABLED,
  ineligible: StandardResolutionReasons.DEFAULT,
  coverage: StandardResolutionReasons.DEFAULT,
  excluded: StandardResolutionReasons.DEFAULT,
  bot: StandardResolutionReasons.DEFAULT,
  unidentified: StandardResolutionReasons.DEFAULT,
  error: StandardResolutionReasons.ERROR,
});

type Result = Assignment | MultiAssignment;

function failed<T>(value: T, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage };
}

function metadataOf(result: Result, compiled: CompiledTrackSet, reason: Reason): FlagMetadata {
  const track = result instanceof MultiAssignment ? result.track : result;
  const metadata: FlagMetadata = { reason, maskedSetName: compiled.masked };
  if (track) metadata.maskedName = track.maskedName;
  if (result instanceof MultiAssignment && result.trackSetName !== null) metadata.trackSetName = result.trackSetName;
  if (result.runId !== null) metadata.runId = result.runId;
  return metadata;
}

function defaultOnError(error: unknown, info: RequestErrorInfo<EvaluationContext>): void {
  console.error(`tracks-ab (OpenFeature): ${info.where}${info.setName ? ` of set "${info.setName}"` : ''} failed; the evaluation failed:`, error);
}

/**
 * An OpenFeature server provider over track sets. Flags are string flags: the flag key is a
 * registered set's name (a MultiTrackSet's, or one of its members'), the targeting key is the
 * user's key, the value and `variant` are the variant's name. Each evaluation assigns as
 * `assign(set, { key, context })` does, the same variant as every adapter gives that key, under
 * the run-time `controls`; with a `store`, a remembered variant comes first (reason `sticky`, no
 * first exposure) and new enrolments are saved. There is no cookie and no QA override, and every
 * exposure is `persisted` (the targeting key is the identity). A targeting key that is a promise
 * is INVALID_CONTEXT. Errors follow OpenFeature: an
 * unknown flag is FLAG_NOT_FOUND, a boolean, number or object evaluation of a set is
 * TYPE_MISMATCH, a missing targeting key is TARGETING_KEY_MISSING, and an `isEligible` or `context`
 * that throws or answers with a promise is GENERAL (the caller's default is returned). Nothing is
 * thrown out of a resolve method, and no hook's promise is left unhandled.
 * @example
 * await OpenFeature.setProviderAndWait(new TracksProvider([DelayTracks, PricingTracks], { onExposure: log }))
 * const client = OpenFeature.getClient()
 * const variant = await client.getStringValue('delay', 'control', { targetingKey: user.id, vip: user.vip })
 */
export class TracksProvider implements Provider {
  readonly metadata = Object.freeze({ name: 'tracks-ab' });
  readonly runsOn = 'server' as const;
  readonly #byName = new Map<string, CompiledTrackSet>();
  readonly #parentOf: ReadonlyMap<CompiledSet, CompiledMulti>;
  readonly #context: (evaluationContext: EvaluationContext) => unknown;
  readonly #onExposure: OpenFeatureOptions['onExposure'] | null;
  readonly #onError: NonNullable<OpenFeatureOptions['onError']>;
  readonly #controls: ControlsSource | null;
  readonly #store: StoreClient | null;
  /** True when the store was given bare: the provider made its client, and closes it in `onClose`. */
  readonly #ownsStore: boolean;

  /** Validates the sets and options at start-up; mistakes throw `TracksError`. */
  constructor(sets: readonly AnySetClass[], options: OpenFeatureOptions = {}) {
    checkKnownOptions('', optionsObject('options', options), OPTION_NAMES);
    for (const name of ['context', 'onExposure', 'onError'] as const) functionOption(name, options[name]);
    const registry = buildRegistry(sets);
    for (const compiled of registry.byClass.values()) this.#byName.set(compiled.name, compiled);
    this.#parentOf = registry.parentOf;
    this.#context = options.context ?? ((evaluationContext) => evaluationContext);
    this.#onExposure = options.onExposure ?? null;
    this.#onError = options.onError ?? defaultOnError;
    const controls = options.controls ?? null;
    if (controls !== null && (typeof controls !== 'object' || typeof (controls as Partial<ControlsSource>).get !== 'function')) {
      throw invalidOption('controls', controls, 'expected a controls source with get(setName): new MemoryControls(), postgresControls(client)');
    }
    this.#controls = controls;
    this.#store = parseStoreOption<EvaluationContext>(options.store, options.onError);
    this.#ownsStore = this.#store !== null && this.#store !== options.store;
  }

  /** Closes the store client the provider made from a bare store (writing what is queued); a client given is the app's to close. */
  async onClose(): Promise<void> {
    if (this.#ownsStore) await this.#store!.close();
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    try {
      return await this.#evaluate(flagKey, defaultValue, context);
    } catch (error) {
      // Only a bug of ours gets here: still an evaluation error, never a throw.
      return failed(defaultValue, ErrorCode.GENERAL, String(error));
    }
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#mismatch(flagKey, defaultValue, 'boolean'));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#mismatch(flagKey, defaultValue, 'number'));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#mismatch(flagKey, defaultValue, 'object'));
  }

  #mismatch<T>(flagKey: string, defaultValue: T, type: string): ResolutionDetails<T> {
    if (!this.#byName.has(flagKey)) return failed(defaultValue, ErrorCode.FLAG_NOT_FOUND, `no track set is named "${flagKey}"`);
    return failed(defaultValue, ErrorCode.TYPE_MISMATCH, `track set "${flagKey}" is a string flag (its variant's name), not a ${type} one`);
  }

  async #evaluate(flagKey: string, defaultValue: string, evaluationContext: EvaluationContext): Promise<ResolutionDetails<string>> {
    const compiled = this.#byName.get(flagKey);
    if (!compiled) return failed(defaultValue, ErrorCode.FLAG_NOT_FOUND, `no track set is named "${flagKey}"`);
    const given: unknown = evaluationContext.targetingKey;
    // As everywhere in tracks-ab, only a missing key is no key: the empty string is a key.
    if (given === undefined || given === null)
      return failed(defaultValue, ErrorCode.TARGETING_KEY_MISSING, `track set "${flagKey}" needs a targeting key`);
    let key: string;
    try {
      // A promise would serialise as "{}", one key for everyone: refused, its rejection handled. Then
      // the one key rule (src/engine/key-rule.ts): a key no database holds as itself is no identity.
      key = checkKey(serializeKey(syncAnswer(given, 'key')));
    } catch (error) {
      this.#report(error, 'key', null, evaluationContext);
      const why =
        error instanceof AsyncHookError ? 'the targeting key is a promise: await it first' : `the targeting key is refused: ${String(error)}`;
      return failed(defaultValue, ErrorCode.INVALID_CONTEXT, why);
    }
    let context: unknown;
    try {
      context = syncAnswer(this.#context(evaluationContext), 'context');
    } catch (error) {
      this.#report(error, 'context', null, evaluationContext);
      return failed(defaultValue, ErrorCode.GENERAL, `the context option failed: ${String(error)}`);
    }
    let threw: unknown = null;
    const onError = (error: unknown, setName: string): void => {
      threw ??= error;
      this.#report(error, 'isEligible', setName, evaluationContext);
    };
    const store = this.#store;
    const records = store === null ? null : (store.cached(key) ?? (await store.load(key)));
    const parent = compiled.kind === 'set' ? this.#parentOf.get(compiled) : undefined;
    const remembered = assignRemembered(compiled, parent, { key, context, onError, controls: this.#controls, records });
    const result = remembered.result;
    if (store !== null) {
      if (remembered.saves.length > 0) store.save(remembered.saves);
      if (remembered.replaces.length > 0) replaceSuperseded(store, remembered.replaces);
    }
    // A multi set's value comes from its chosen member's assignment: that one says why (hash, pinned…).
    const reason = result instanceof MultiAssignment && result.track ? result.track.reason : result.reason;
    if (reason === 'error') return failed(defaultValue, ErrorCode.GENERAL, `isEligible failed: ${String(threw)}`);
    const exposed = result instanceof MultiAssignment ? result.track : result;
    const multi = compiled.kind === 'multi' ? compiled : this.#parentOf.get(compiled);
    if (exposed?.isExposure) this.#expose(exposed, multi?.name ?? null, evaluationContext);
    return { value: result.name, variant: result.name, reason: REASONS[reason], flagMetadata: metadataOf(result, compiled, reason) };
  }

  #expose(assignment: Assignment, multiSetName: string | null, evaluationContext: EvaluationContext): void {
    const onExposure = this.#onExposure;
    if (!onExposure) return;
    // Without a store the provider keeps no memory between evaluations: each is a first exposure.
    callSafely(
      () => onExposure(exposureEvent(assignment, multiSetName, assignment.reason !== 'sticky', evaluationContext)),
      (error) => this.#report(error, 'onExposure', assignment.setName, evaluationContext),
    );
  }

  #report(error: unknown, where: ErrorSource, setName: string | null, req: EvaluationContext): void {
    // An onError that throws or rejects must not break the evaluation either.
    callSafely(() => this.#onError(error, { where, setName, req }));
  }
}
