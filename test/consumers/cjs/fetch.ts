// A Fetch handler with the tracks, in CommonJS syntax: `tracks.get` is typed without a cast, and
// the entry point needs no framework (the consumer project without any optional peer checks it too).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import fetchTracks = require('tracks-ab/fetch');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import DelayTracks = require('./delay-tracks.js');

const options: fetchTracks.FetchOptions = { key: (request) => request.headers.get('x-user-id'), cookie: { secret: 'a-secret', maxAge: 3600 } };

/** The handler: answers with the user's variant. */
const handler = fetchTracks.withTracks([DelayTracks], options, (request, tracks) => {
  const name: 'control' | 'short' | 'long' = tracks.get(DelayTracks).name;
  // @ts-expect-error 'long' is one of the names too
  const notLong: 'control' | 'short' = tracks.get(DelayTracks).name;
  return new Response(JSON.stringify({ name, notLong, url: request.url }));
});

/** What tracks-ab/fetch exports: the Hono middleware is tracks-ab/hono's, so no Hono type is named here. */
const exported: Array<keyof typeof fetchTracks> = [
  'withTracks',
  // @ts-expect-error tracks (Hono's middleware) is not among them
  'tracks',
];

export = { handler, exported };
