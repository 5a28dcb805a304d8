// Koa with the middleware, in ES module syntax: `ctx.tracks` is typed without a cast.
import Koa from 'koa';
import { tracks, type KoaTracksOptions } from 'tracks-ab/koa';
import { DelayTracks } from './delay-tracks.js';

const options: KoaTracksOptions = { key: { header: 'x-user-id' }, cookie: { secret: 'a-secret', maxAge: 3600 } };

/** The app: one middleware that reads the user's variant. */
export const app = new Koa().use(tracks([DelayTracks], options)).use((ctx) => {
  const name: 'control' | 'short' | 'long' = ctx.tracks.get(DelayTracks).name;
  // @ts-expect-error 'long' is one of the names too
  const notLong: 'control' | 'short' = ctx.state.tracks.get(DelayTracks).name;
  ctx.body = { name, notLong };
});
