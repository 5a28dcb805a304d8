// Runs the Koa example: `npx tsx examples/koa/server.ts` (PORT, default 3001), exposures into the store's database (db.ts).
import { exposureLog } from 'tracks-ab';
import { tracksConsole } from 'tracks-ab/console';
import { exposureSink } from 'tracks-ab/postgres';
import { databaseFromEnv, openDatabase } from '../coconut-store/db.js';
import { storeConsoleOptions } from '../coconut-store/store-console.js';
import { createKoaApp } from './app.js';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3001);
  const db = await openDatabase(databaseFromEnv());
  const exposures = exposureLog({ sink: exposureSink(db.client) });
  const server = createKoaApp({ onExposure: exposures, console: tracksConsole(storeConsoleOptions(db.client)) }).listen(port, 'localhost', () => {
    console.log(`Koa coconut store: http://localhost:${port}/catalog (database: ${db.description})`);
  });
  const stop = (): void => {
    server.close(
      () =>
        void exposures
          .close()
          .then(() => db.close())
          .then(() => process.exit(0)),
    );
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
