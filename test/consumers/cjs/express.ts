// Express with the middleware, in CommonJS syntax: `req.tracks` is typed without a cast.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import express = require('express');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import expressTracks = require('tracks-ab/express');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS consumer: under verbatimModuleSyntax it imports only this way
import DelayTracks = require('./delay-tracks.js');

const options: expressTracks.ExpressTracksOptions = { key: [{ session: 'userId' }, { header: 'x-user-id' }], cookie: { secret: ['new', 'old'] } };

/** The app: one route that reads the user's variant. */
const app = express()
  .use(expressTracks.tracks([DelayTracks], options))
  .get('/catalog', (req, res) => {
    const delay = req.tracks.get(DelayTracks);
    const name: 'control' | 'short' | 'long' = delay.name;
    // @ts-expect-error 'long' is one of the names too
    const notLong: 'control' | 'short' = delay.name;
    res.send({ name, notLong });
  });

export = app;
