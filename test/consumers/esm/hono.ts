// Hono with the middleware from tracks-ab/hono, in ES module syntax: `c.var.tracks` is typed through
// Hono's Variables, declared on the app or carried by `use` along a chain.
import { Hono } from 'hono';
import { tracks, type HonoTracksOptions, type TracksVariables } from 'tracks-ab/hono';
import { DelayTracks } from './delay-tracks.js';

const options: HonoTracksOptions = { key: (c) => c.req.header('x-user-id'), cookie: { secret: 'a-secret', maxAge: 3600 } };

/** The app, its Variables declared: one route that reads the user's variant. */
export const app = new Hono<{ Variables: TracksVariables }>();
app.use(tracks([DelayTracks], options));
app.get('/catalog', async (c) => {
  const delay = c.var.tracks.get(DelayTracks);
  const name: 'control' | 'short' | 'long' = delay.name;
  // @ts-expect-error 'long' is one of the names too
  const notLong: 'control' | 'short' = c.get('tracks').get(DelayTracks).name;
  await delay.run();
  return c.json({ name, notLong });
});

/** The same, chained: the middleware's Variables reach the route without a declaration. */
export const chained = new Hono().use(tracks([DelayTracks], options)).get('/catalog', (c) => {
  const name: 'control' | 'short' | 'long' = c.var.tracks.get(DelayTracks).name;
  return c.text(name);
});
