// Type-level tests: this file must type-check (npm test runs tsc), and each @ts-expect-error
// line must really be an error, or tsc fails with "unused @ts-expect-error".
import type { Request } from 'express';
import type { Context } from 'koa';
import type { FastifyRequest } from 'fastify';
import '../../adapters/express.js';
import '../../adapters/koa.js';
import '../../adapters/fastify.js';
import { assign, MultiTrackSet, ParamTrackSet, SimpleTrackSet, type Assignment, type MultiAssignment } from '../../src/index.js';

class DelayTracks extends SimpleTrackSet<{ vip: boolean }> {
  static override setName = 'delay';
  static shortTrack(ms: number): Promise<number> {
    return Promise.resolve(ms);
  }
  static longTrack(ms: number): Promise<number> {
    return Promise.resolve(ms * 4);
  }
  override isEligible(): boolean {
    return !this.context.vip;
  }
}

class PricingTracks extends ParamTrackSet<{ delta: number }> {
  static override setName = 'pricing';
  static override params = [-1, 0, 1].map((delta) => ({ delta }));
  static override trackName = (p: { delta: number }): string => `delta_${p.delta}`;
  static override track = (p: { delta: number }, price: number): number => price + p.delta;
}

class Experiments extends MultiTrackSet {
  static override trackSets = [DelayTracks, PricingTracks];
}

export async function express(req: Request): Promise<void> {
  const delay = req.tracks.get(DelayTracks);
  const name: 'control' | 'short' | 'long' = delay.name;
  const waited: number | undefined = await delay.run(10);
  // @ts-expect-error 'medium' is not a variant of DelayTracks
  const wrong: typeof delay.name = 'medium';
  // @ts-expect-error the variants take a number
  void delay.run('ten');
  const price: number | undefined = req.tracks.get(PricingTracks).run(20);
  const multi: MultiAssignment<typeof DelayTracks | typeof PricingTracks> = req.tracks.get(Experiments);
  void [name, waited, wrong, price, multi];
}

export function koa(ctx: Context): string {
  const a: Assignment<'control' | 'short' | 'long'> = ctx.tracks.get(DelayTracks);
  return a.name + ctx.state.tracks.peek(PricingTracks).name;
}

export function fastify(request: FastifyRequest): string | null {
  return request.tracks.get(Experiments).trackSetName;
}

export function engine(): void {
  const a = assign(DelayTracks, { key: 'user-1', context: { vip: false } });
  // @ts-expect-error the context must match what isEligible reads
  assign(DelayTracks, { key: 'user-1', context: { vip: 'no' } });
  // @ts-expect-error only track set classes can be assigned
  assign(Date, { key: 1 });
  void a.run(5);
}
