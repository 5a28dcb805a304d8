// Hono with the middleware from tracks-ab/hono, in CommonJS syntax: `c.var.tracks` is typed through
// Hono's Variables.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import hono = require('hono');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import honoTracks = require('tracks-ab/hono');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import DelayTracks = require('./delay-tracks.js');

const options: honoTracks.HonoTracksOptions = { key: (c) => c.req.header('x-user-id'), cookie: { secret: 'a-secret', maxAge: 3600 } };

/** The app: one route that reads the user's variant. */
const app = new hono.Hono<{ Variables: honoTracks.TracksVariables }>();
app.use(honoTracks.tracks([DelayTracks], options));
app.get('/catalog', async (c) => {
  const delay = c.var.tracks.get(DelayTracks);
  const name: 'control' | 'short' | 'long' = delay.name;
  // @ts-expect-error 'long' is one of the names too
  const notLong: 'control' | 'short' = c.get('tracks').get(DelayTracks).name;
  await delay.run();
  return c.json({ name, notLong });
});

export = app;
