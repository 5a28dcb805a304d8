// explainKey: why a user has the variant they have, per set: the rule that decides it and the evidence, as seen from outside the app.
import { BUCKETS, bucketOf, rangeIndex } from '../engine/buckets.js';
import { chooseMember, pausedRoute } from '../engine/assign.js';
import { compile, type CompiledMulti, type CompiledSet } from '../engine/compile.js';
import { rulesUnder, type ControlsView, type SetControl } from '../engine/controlled-set.js';
import { TracksError } from '../engine/errors.js';
import { hashWithPrefix } from '../engine/hash.js';
import { md5Mod } from '../engine/md5.js';
import { memberClosed, multiRulesUnder, OPEN_MULTI } from '../engine/multi-rules.js';
import { serializeKey } from '../engine/serialize-key.js';
import type { AnySetClass } from '../engine/track-set.js';
import { readControls } from '../postgres/controls-write.js';
import { schemaName } from '../postgres/migrations.js';
import type { Queryable } from '../postgres/queryable.js';

/** What `explainKey` reads. */
export interface ExplainOptions {
  /** The app's sets, as given to `tracks([...])`. */
  readonly sets: readonly AnySetClass[];
  /** The tracks-ab database (store, exposure log, controls); without it only the code and `controls` are read. */
  readonly client?: Queryable | null;
  readonly schema?: string;
  /** Controls in force when there is no database (a `MemoryControls`, a Map). Read from the database otherwise. */
  readonly controls?: ControlsView | null;
  /** Only this set (or multi set), by name. */
  readonly setName?: string;
}

/** Where the hash puts the key in one set. */
export interface HashEvidence {
  /** The bucket (0 to 9,999) of murmur3(set name + ':' + key); null with algorithm 'python' (md5 residue). */
  readonly bucket: number | null;
  /** The variant (member) whose range holds the bucket, and that range `[start, end)` (`coveredEnd`: end of the part in the test). */
  readonly range: { readonly name: string; readonly start: number; readonly coveredEnd: number; readonly end: number } | null;
  /** What the hash gives now, after coverage, paused variants and closed members: a name, or null (out of the test). */
  readonly gives: string | null;
}

/** One set's answer. */
export interface SetExplanation {
  readonly set: string;
  readonly kind: 'set' | 'multi';
  /** The multi set this set is a member of, or null. */
  readonly multi: string | null;
  /** The variant (of a multi set: member) the user gets when nothing outside this evidence decides otherwise; null: none. */
  readonly variant: string | null;
  /** The rule that decides it: `disabled`, `pinned`, `stored`, `exposed`, `hash`, `coverage`, `excluded`, `not chosen`. */
  readonly reason: string;
  /** The reason and its evidence in a sentence a person reads. */
  readonly words: string;
  readonly evidence: {
    /** The store's record for this key and set: variant, when and how. */
    readonly stored: { readonly variant: string; readonly assignedAt: Date; readonly how: string } | null;
    /** The first exposure the log holds for this key and set. */
    readonly firstExposure: { readonly variant: string; readonly at: Date } | null;
    /** The run-time control in force for this set, if any. */
    readonly control: SetControl | null;
    readonly hash: HashEvidence;
    /** What cannot be known from outside the app, said plainly. */
    readonly unknown: readonly string[];
  };
}

/** One user, explained: the key as serialised, its aliases, and each set. */
export interface KeyExplanation {
  readonly key: string;
  /** The user key this key (an anonymous id) was aliased to, or null. */
  readonly aliasOf: string | null;
  /** The anonymous ids aliased to this key (a user who logged in). */
  readonly aliases: readonly string[];
  readonly sets: readonly SetExplanation[];
}

interface Records {
  stored: Map<string, { variant: string; assignedAt: Date; how: string }>;
  exposed: Map<string, { variant: string; at: Date }>;
  aliasOf: string | null;
  aliases: string[];
  controls: ControlsView | null;
}

async function readRecords(client: Queryable | null | undefined, key: string, options: ExplainOptions): Promise<Records> {
  const records: Records = { stored: new Map(), exposed: new Map(), aliasOf: null, aliases: [], controls: options.controls ?? null };
  if (!client) return records;
  const s = schemaName(options.schema);
  const q = <R>(sql: string): Promise<{ rows: R[] }> => client.query<R>(sql, [key]);
  const stored = await q<{ set_name: string; variant: string; assigned_at: Date | string; how: string }>(
    `select set_name, variant, assigned_at, how from ${s}.tracks_assignments where user_key = $1`,
  );
  for (const r of stored.rows) records.stored.set(r.set_name, { variant: r.variant, assignedAt: new Date(r.assigned_at), how: r.how });
  const exposed = await q<{ set_name: string; variant: string; multi_set_name: string | null; exposed_at: Date | string }>(
    `select set_name, variant, multi_set_name, exposed_at from ${s}.tracks_exposures where user_key = $1 and first_exposure order by exposed_at`,
  );
  for (const r of exposed.rows) {
    if (!records.exposed.has(r.set_name)) records.exposed.set(r.set_name, { variant: r.variant, at: new Date(r.exposed_at) });
    if (r.multi_set_name && !records.exposed.has(r.multi_set_name))
      records.exposed.set(r.multi_set_name, { variant: r.set_name, at: new Date(r.exposed_at) });
  }
  records.aliasOf = (await q<{ user_key: string }>(`select user_key from ${s}.tracks_aliases where anonymous_id = $1`)).rows[0]?.user_key ?? null;
  records.aliases = (
    await q<{ anonymous_id: string }>(`select anonymous_id from ${s}.tracks_aliases where user_key = $1 order by aliased_at`)
  ).rows.map((r) => r.anonymous_id);
  if (!options.controls) {
    try {
      const stored = await readControls(client, { schema: options.schema });
      records.controls = new Map([...stored].map(([name, record]) => [name, record.control]));
    } catch {
      // A database without the controls tables: the statics apply.
    }
  }
  return records;
}

function bucketIn(prefix: CompiledSet['prefix'], key: string): number {
  return bucketOf(hashWithPrefix(prefix, key));
}

function setHash(set: CompiledSet, rules: CompiledSet, key: string): HashEvidence {
  if (set.algorithm === 'python') return { bucket: null, range: null, gives: set.variants[md5Mod(set.name + ':' + key, set.variants.length)]!.name };
  const bucket = bucketIn(set.prefix, key);
  const i = rangeIndex(set.bounds, bucket);
  const range = { name: set.variants[i]!.name, start: set.bounds[i]!, coveredEnd: rules.ends[i]!, end: set.bounds[i + 1]! };
  if (bucket >= rules.ends[i]!) return { bucket, range, gives: null };
  const index = rules.paused !== null && rules.paused[i] ? pausedRoute(rules, i, bucket) : i;
  return { bucket, range, gives: set.variants[index]!.name };
}

function multiHash(multi: CompiledMulti, controls: ControlsView | null, key: string): HashEvidence {
  const whole = controls ? multiRulesUnder(multi, controls.get(multi.name)) : OPEN_MULTI;
  const rules = whole instanceof TracksError ? OPEN_MULTI : whole;
  const closed = (m: CompiledSet): boolean => memberClosed(rules, m, rulesOf(m, controls));
  const index = chooseMember(multi, key, () => true, closed);
  const gives = index < 0 || rules.paused.has(multi.members[index]!) ? null : multi.members[index]!.name;
  if (multi.algorithm === 'python') return { bucket: null, range: null, gives };
  const bucket = bucketIn(multi.prefix, key);
  const total = multi.members.reduce((sum, m) => sum + m.weight, 0);
  let [cumulative, start] = [0, 0];
  for (const m of multi.members) {
    cumulative += m.weight;
    const end = m === multi.members[multi.members.length - 1] ? BUCKETS : Math.round((BUCKETS * cumulative) / total);
    if (bucket < end) return { bucket, range: { name: m.name, start, coveredEnd: end, end }, gives };
    start = end;
  }
  return { bucket, range: null, gives };
}

function rulesOf(set: CompiledSet, controls: ControlsView | null): CompiledSet {
  const rules = controls ? rulesUnder(set, controls.get(set.name)) : set;
  return rules instanceof TracksError ? set : rules;
}

const COOKIE = 'a sticky cookie bound to this user, if their browser carries one, comes before the store (and a QA override before both)';
const ELIGIBILITY = 'isEligible reads the request: whether this user is eligible is unknown from outside the app (ineligible users get control)';

function explainSet(set: CompiledSet, key: string, records: Records, multi: CompiledMulti | null, chosen: string | null): SetExplanation {
  const rules = rulesOf(set, records.controls);
  const hash = setHash(set, rules, key);
  const stored = records.stored.get(set.name) ?? null;
  const firstExposure = records.exposed.get(set.name) ?? null;
  const control = records.controls?.get(set.name) ?? null;
  const unknown = [COOKIE, ...(set.checksEligibility ? [ELIGIBILITY] : [])];
  const base = { set: set.name, kind: 'set' as const, multi: multi?.name ?? null };
  const evidence = { stored, firstExposure, control, hash, unknown };
  const where = hash.bucket === null ? '' : ` (bucket ${hash.bucket}, in ${hash.range!.name}'s range ${hash.range!.start}–${hash.range!.end - 1})`;
  if (rules.disabled) return { ...base, variant: 'control', reason: 'disabled', words: `${set.name} is disabled: everyone gets control`, evidence };
  if (rules.pinned)
    return { ...base, variant: rules.pinned.name, reason: 'pinned', words: `${set.name} is pinned: everyone gets ${rules.pinned.name}`, evidence };
  if (multi !== null && chosen !== set.name) {
    const words = chosen === null ? `${multi.name} gives this user no member` : `${multi.name} puts this user in ${chosen}, not in ${set.name}`;
    return { ...base, variant: 'control', reason: chosen === null ? 'not chosen' : 'excluded', words, evidence };
  }
  if (stored && set.byName.has(stored.variant)) {
    const words = `the store remembers ${stored.variant} since ${stored.assignedAt.toISOString()} (${stored.how}); the hash would give ${hash.gives ?? 'control (outside coverage)'}${where}`;
    return { ...base, variant: stored.variant, reason: 'stored', words, evidence };
  }
  if (firstExposure && set.byName.has(firstExposure.variant) && firstExposure.variant !== hash.gives) {
    const words = `first exposed to ${firstExposure.variant} at ${firstExposure.at.toISOString()}, kept by their cookie while it lasts; the hash now gives ${hash.gives ?? 'control'}${where}`;
    return { ...base, variant: firstExposure.variant, reason: 'exposed', words, evidence };
  }
  if (hash.gives === null)
    return { ...base, variant: 'control', reason: 'coverage', words: `outside the covered part of the range${where}: control, not logged`, evidence };
  const paused = hash.range !== null && hash.range.name !== hash.gives ? `; ${hash.range.name} is paused, its range goes to the open variants` : '';
  return { ...base, variant: hash.gives, reason: 'hash', words: `the hash gives ${hash.gives}${where}${paused}`, evidence };
}

function explainMulti(multi: CompiledMulti, key: string, records: Records): SetExplanation[] {
  const raw = records.controls ? multiRulesUnder(multi, records.controls.get(multi.name)) : OPEN_MULTI;
  const whole = raw instanceof TracksError ? OPEN_MULTI : raw;
  const hash = multiHash(multi, records.controls, key);
  const stored = records.stored.get(multi.name) ?? null;
  const firstExposure = records.exposed.get(multi.name) ?? null;
  const unknown = [COOKIE, ...(multi.members.some((m) => m.checksEligibility) ? [ELIGIBILITY.replace('isEligible', "the members' isEligible")] : [])];
  const evidence = { stored, firstExposure, control: records.controls?.get(multi.name) ?? null, hash, unknown };
  const base = { set: multi.name, kind: 'multi' as const, multi: null };
  let own: SetExplanation;
  if (whole.disabled) own = { ...base, variant: null, reason: 'disabled', words: `${multi.name} is disabled: no member for anyone`, evidence };
  else if (whole.pinned) {
    const pair = `${whole.pinned.member.name}:${whole.pinned.variant.name}`;
    own = { ...base, variant: whole.pinned.member.name, reason: 'pinned', words: `${multi.name} is pinned: everyone gets ${pair}`, evidence };
  } else if (stored && multi.members.some((m) => m.name === stored.variant)) {
    own = {
      ...base,
      variant: stored.variant,
      reason: 'stored',
      words: `the store remembers member ${stored.variant} since ${stored.assignedAt.toISOString()}`,
      evidence,
    };
  } else if (firstExposure && firstExposure.variant !== hash.gives) {
    own = {
      ...base,
      variant: firstExposure.variant,
      reason: 'exposed',
      words: `first exposed in ${firstExposure.variant}, kept by their cookie while it lasts`,
      evidence,
    };
  } else {
    const where = hash.bucket === null ? '' : ` (bucket ${hash.bucket}, in ${hash.range!.name}'s part ${hash.range!.start}–${hash.range!.end - 1})`;
    own = { ...base, variant: hash.gives, reason: 'hash', words: `the hash gives member ${hash.gives ?? 'none'}${where}`, evidence };
  }
  const chosen = whole.pinned ? whole.pinned.member.name : own.variant;
  const members = multi.members.map((m) => {
    if (whole.pinned?.member === m) {
      const e = explainSet(m, key, records, multi, chosen);
      return {
        ...e,
        variant: whole.pinned.variant.name,
        reason: 'pinned',
        words: `${multi.name} is pinned to ${m.name}:${whole.pinned.variant.name}`,
      };
    }
    return explainSet(m, key, records, multi, whole.disabled ? null : chosen);
  });
  return [own, ...members];
}

/**
 * Explains a user (or anonymous visitor) by key: for each set, the variant they get, the rule that
 * decides it (controls, the store's record, the exposure log, the hash), and the evidence: the
 * stored record and when, the first exposure, aliases, the controls in force, the hash's bucket and
 * the range holding it. What only the app can know (the browser's cookie, eligibility) is listed
 * in `unknown`. Reads the database when given; never writes.
 * @example const why = await explainKey('user-42', { sets: [DelayTracks, Experiments], client: pool })
 */
export async function explainKey(key: unknown, options: ExplainOptions): Promise<KeyExplanation> {
  const serialized = serializeKey(key);
  const records = await readRecords(options.client, serialized, options);
  const sets: SetExplanation[] = [];
  for (const cls of options.sets) {
    const compiled = compile(cls);
    sets.push(...(compiled.kind === 'multi' ? explainMulti(compiled, serialized, records) : [explainSet(compiled, serialized, records, null, null)]));
  }
  const wanted = options.setName;
  const chosen = wanted === undefined ? sets : sets.filter((s) => s.set === wanted || s.multi === wanted);
  if (wanted !== undefined && chosen.length === 0) {
    throw new TracksError('ERR_TRACKS_UNKNOWN_SET', `set "${wanted}" is unknown (sets: ${sets.map((s) => s.set).join(', ')})`);
  }
  return { key: serialized, aliasOf: records.aliasOf, aliases: records.aliases, sets: chosen };
}
