// How many users a change of sets moves: exact shares from the bucket ranges (or md5 residues for tracks 0.1.x), never sampled.
import { BUCKETS, rangeIndex } from '../engine/buckets.js';
import type { CompiledMulti, CompiledSet } from '../engine/compile.js';
import { md5Mod } from '../engine/md5.js';
import { hashWithPrefix } from '../engine/hash.js';
import { bucketOf } from '../engine/buckets.js';

/** What a change does to one set (or multi set) of the same name. */
export interface SetShift {
  readonly name: string;
  readonly kind: 'set' | 'multi';
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /**
   * The share of users whose hashed variant (for a multi set: member) changes, 0 to 1: moved from
   * one variant to another, plus those coverage puts in or out of the test. Null when the
   * algorithm changed (every user is hashed anew).
   */
  readonly changed: number | null;
  /** Of `changed`: from one variant (member) to another. */
  readonly moved: number | null;
  /** Of `changed`: taken out of the test by coverage (they get control, unlogged). */
  readonly leaving: number | null;
  /** Of `changed`: put in the test by coverage. */
  readonly entering: number | null;
  /** What differs, in words: variants added or removed, weights, coverage, algorithm. */
  readonly notes: readonly string[];
}

/** The variant name (member name) a bucket gets, or null when it is outside the covered part. */
function bucketName(set: CompiledSet, bucket: number): string | null {
  const i = rangeIndex(set.bounds, bucket);
  return bucket < set.ends[i]! ? set.variants[i]!.name : null;
}

/** The member a multi set's bucket gives when every member is eligible: the same boundaries as chooseMember. */
function memberAt(multi: CompiledMulti, bucket: number): string {
  const total = multi.members.reduce((sum, m) => sum + m.weight, 0);
  let cumulative = 0;
  for (const m of multi.members) {
    cumulative += m.weight;
    if (bucket < Math.round((BUCKETS * cumulative) / total)) return m.name;
  }
  return multi.members[multi.members.length - 1]!.name;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Python mode: md5 is uniform, so over lcm(n, m) residues the old and new choices cycle exactly. */
function residueShare(oldNames: readonly string[], newNames: readonly string[]): number {
  const [n, m] = [oldNames.length, newNames.length];
  const period = (n / gcd(n, m)) * m;
  let changed = 0;
  for (let t = 0; t < period; t++) if (oldNames[t % n] !== newNames[t % m]) changed++;
  return changed / period;
}

/** Each slot of tracks 0.1.x's multi list: every member `weight` times, in order. */
function slots(multi: CompiledMulti): string[] {
  return multi.members.flatMap((m) => Array.from({ length: m.weight }, () => m.name));
}

function notesOf(before: CompiledSet, after: CompiledSet): string[] {
  const notes: string[] = [];
  const [a, b] = [before.variants.map((v) => v.name), after.variants.map((v) => v.name)];
  const added = b.filter((n) => !a.includes(n));
  const removed = a.filter((n) => !b.includes(n));
  if (added.length > 0) notes.push(`variants added: ${added.join(', ')}`);
  if (removed.length > 0) notes.push(`variants removed: ${removed.join(', ')} (their remembered users are hashed anew)`);
  if (added.length === 0 && removed.length === 0 && a.join() !== b.join()) notes.push(`variants reordered: ${b.join(', ')}`);
  if (before.bounds.join() !== after.bounds.join() && added.length + removed.length === 0) notes.push('weights changed');
  if (before.cls.coverage !== after.cls.coverage) notes.push(`coverage ${before.cls.coverage} → ${after.cls.coverage}`);
  if (before.algorithm !== after.algorithm) notes.push(`algorithm ${before.algorithm} → ${after.algorithm}: every user is hashed anew`);
  return notes;
}

function shift(name: string, kind: 'set' | 'multi', counts: [number, number, number] | null, total: number, notes: string[]): SetShift {
  if (counts === null) return { name, kind, status: 'changed', changed: null, moved: null, leaving: null, entering: null, notes };
  const [moved, leaving, entering] = counts.map((c) => c / total) as [number, number, number];
  const changed = moved + leaving + entering;
  return { name, kind, status: changed > 0 || notes.length > 0 ? 'changed' : 'unchanged', changed, moved, leaving, entering, notes };
}

/** What changing `before` into `after` (two versions of one set) does to its users. */
export function setShift(before: CompiledSet, after: CompiledSet): SetShift {
  const notes = notesOf(before, after);
  if (before.algorithm !== after.algorithm) return shift(after.name, 'set', null, 1, notes);
  if (after.algorithm === 'python') {
    const share = residueShare(
      before.variants.map((v) => v.name),
      after.variants.map((v) => v.name),
    );
    return shift(after.name, 'set', [share, 0, 0], 1, notes);
  }
  const counts: [number, number, number] = [0, 0, 0];
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const [was, will] = [bucketName(before, bucket), bucketName(after, bucket)];
    if (was === will) continue;
    counts[was === null ? 2 : will === null ? 1 : 0]++;
  }
  return shift(after.name, 'set', counts, BUCKETS, notes);
}

/** What changing a multi set does to its choice of member (each member is compared as a set of its own). */
export function multiShift(before: CompiledMulti, after: CompiledMulti): SetShift {
  const [a, b] = [before.members.map((m) => `${m.name}×${m.weight}`), after.members.map((m) => `${m.name}×${m.weight}`)];
  const notes = a.join() === b.join() ? [] : [`members: ${a.join(', ')} → ${b.join(', ')}`];
  if (before.algorithm !== after.algorithm) return shift(after.name, 'multi', null, 1, [...notes, 'algorithm changed']);
  if (after.algorithm === 'python') return shift(after.name, 'multi', [residueShare(slots(before), slots(after)), 0, 0], 1, notes);
  let moved = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) if (memberAt(before, bucket) !== memberAt(after, bucket)) moved++;
  return shift(after.name, 'multi', [moved, 0, 0], BUCKETS, notes);
}

/** The variant (member) name `key` is hashed to by a set, or null outside coverage: for counting stored users. */
export function hashedName(set: CompiledSet | CompiledMulti, key: string): string | null {
  if (set.kind === 'multi') {
    if (set.algorithm === 'python') return slots(set)[md5Mod(set.name + ':' + key, slots(set).length)]!;
    return memberAt(set, bucketOf(hashWithPrefix(set.prefix, key)));
  }
  if (set.algorithm === 'python') return set.variants[md5Mod(set.name + ':' + key, set.variants.length)]!.name;
  return bucketName(set, bucketOf(hashWithPrefix(set.prefix, key)));
}
