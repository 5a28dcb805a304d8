// Koa with the middleware, in CommonJS syntax: `ctx.tracks` is typed without a cast.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import Koa = require('koa');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import koaTracks = require('tracks-ab/koa');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import DelayTracks = require('./delay-tracks.js');

const options: koaTracks.KoaTracksOptions = { key: { header: 'x-user-id' }, cookie: { secret: 'a-secret', maxAge: 3600 } };

/** The app: one middleware that reads the user's variant. */
const app = new Koa().use(koaTracks.tracks([DelayTracks], options)).use((ctx) => {
  const name: 'control' | 'short' | 'long' = ctx.tracks.get(DelayTracks).name;
  // @ts-expect-error 'long' is one of the names too
  const notLong: 'control' | 'short' = ctx.state.tracks.get(DelayTracks).name;
  ctx.body = { name, notLong };
});

export = app;
