// Fastify with the plugin, in CommonJS syntax: registered as the module itself and as its `tracks`
// and `default` properties; `request.tracks` is typed without a cast. (`register(import(…))` is in
// the ES module twin: verbatimModuleSyntax forbids `import()` where it would compile to require().)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import Fastify = require('fastify');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import plugin = require('tracks-ab/fastify');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import DelayTracks = require('./delay-tracks.js');

const options: plugin.FastifyTracksOptions = { sets: [DelayTracks], key: { header: 'x-user-id' }, cookie: { secret: 'a-secret' } };

/** Three apps, the plugin registered each way, each with one route that reads the user's variant. */
const apps = [Fastify().register(plugin, options), Fastify().register(plugin.tracks, options), Fastify().register(plugin.default, options)];

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

export = apps;
