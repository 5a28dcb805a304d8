// Express with the middleware, in ES module syntax: `req.tracks` is typed without a cast.
import express from 'express';
import { tracks, type ExpressTracksOptions } from 'tracks-ab/express';
import { DelayTracks } from './delay-tracks.js';

const options: ExpressTracksOptions = { key: [{ session: 'userId' }, { header: 'x-user-id' }], cookie: { secret: ['new', 'old'] } };

/** The app: one route that reads the user's variant. */
export const app = express()
  .use(tracks([DelayTracks], options))
  .get('/catalog', (req, res) => {
    const delay = req.tracks.get(DelayTracks);
    const name: 'control' | 'short' | 'long' = delay.name;
    // @ts-expect-error 'long' is one of the names too
    const notLong: 'control' | 'short' = delay.name;
    res.send({ name, notLong });
  });
