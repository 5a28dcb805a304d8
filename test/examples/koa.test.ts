// The Koa example: the coconut store's catalog, sticky across page loads, under the same tests as the Express store.
import { createKoaApp } from '../../examples/koa/app.js';
import { runExampleSuite } from '../support/example-suite.js';

runExampleSuite('Koa', () =>
  Promise.resolve({
    target: createKoaApp({ delayScale: 0.002, secret: 'test-secret' }).callback(),
    close: () => Promise.resolve(),
  }),
);
