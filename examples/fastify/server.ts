// Runs the Fastify example: `npx tsx examples/fastify/server.ts` (PORT, default 3002), exposures into the store's database (db.ts).
import { exposureLog } from 'tracks-ab';
import { tracksConsole } from 'tracks-ab/console';
import { exposureSink } from 'tracks-ab/postgres';
import { databaseFromEnv, openDatabase } from '../coconut-store/db.js';
import { storeConsoleOptions } from '../coconut-store/store-console.js';
import { createFastifyApp } from './app.js';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3002);
  const db = await openDatabase(databaseFromEnv());
  const exposures = exposureLog({ sink: exposureSink(db.client) });
  const app = createFastifyApp({ onExposure: exposures, console: tracksConsole(storeConsoleOptions(db.client)) });
  await app.listen({ port, host: 'localhost' });
  console.log(`Fastify coconut store: http://localhost:${port}/catalog (database: ${db.description})`);
  const stop = (): void => {
    void app
      .close()
      .then(() => exposures.close())
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
