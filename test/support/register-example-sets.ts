// Run in a fresh process: builds the three example apps and registers every example set, printing what it saw as JSON.
import { createApp } from '../../examples/coconut-store/app.js';
import * as exampleSets from '../../examples/coconut-store/tracks.js';
import { createFastifyApp } from '../../examples/fastify/app.js';
import { createKoaApp } from '../../examples/koa/app.js';
import { createSetup, MultiTrackSet, ParamTrackSet, SimpleTrackSet } from '../../src/index.js';
import { PGlite } from '@electric-sql/pglite';
import { pgliteTemplate } from './databases.js';

const warnings: Array<{ name: string; code: unknown; message: string }> = [];
process.on('warning', (w: Error & { code?: unknown }) => warnings.push({ name: w.name, code: w.code, message: w.message }));

async function main(): Promise<void> {
  const registered: string[] = [];
  for (const [name, value] of Object.entries(exampleSets)) {
    const isSet = [SimpleTrackSet, ParamTrackSet, MultiTrackSet].some((base) => typeof value === 'function' && value.prototype instanceof base);
    if (!isSet) continue;
    createSetup([value as never], undefined); // what tracks([...]) does at start-up
    registered.push(name);
  }
  // PGlite from the suite's initialised template: initdb in WebAssembly would take seconds on a busy machine.
  const db = await PGlite.create({ loadDataDir: await pgliteTemplate() });
  const shop = await createApp({ database: { client: db } });
  await shop.close();
  await db.close();
  createKoaApp();
  const fastify = createFastifyApp();
  await fastify.ready();
  await fastify.close();
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write(JSON.stringify({ registered, warnings }));
}

void main();
