// The Fastify example: the coconut store's catalog, sticky across page loads, under the same tests as the Express store.
import { createFastifyApp } from '../../examples/fastify/app.js';
import { runExampleSuite } from '../support/example-suite.js';

runExampleSuite('Fastify', async () => {
  const app = createFastifyApp({ delayScale: 0.002, secret: 'test-secret' });
  await app.ready();
  return { target: app.server, close: () => app.close() };
});
