// Fastify with the plugin, in ES module syntax: registered by its default export, its named export
// and a dynamic import of the module; `request.tracks` is typed without a cast.
import Fastify from 'fastify';
import plugin, { tracks, type FastifyTracksOptions } from 'tracks-ab/fastify';
import { DelayTracks } from './delay-tracks.js';

const options: FastifyTracksOptions = { sets: [DelayTracks], key: { header: 'x-user-id' }, cookie: { secret: 'a-secret' } };

/** Three apps, the plugin registered each way, each with one route that reads the user's variant. */
export const apps = [
  Fastify().register(plugin, options),
  Fastify().register(tracks, options),
  Fastify().register(import('tracks-ab/fastify'), options),
];

for (const app of apps) {
  app.get('/catalog', async (request) => {
    const delay = request.tracks.get(DelayTracks);
    const name: 'control' | 'short' | 'long' = delay.name;
    // @ts-expect-error 'long' is one of the names too
    const notLong: 'control' | 'short' = delay.name;
    await delay.run();
    return { name, notLong };
  });
}
