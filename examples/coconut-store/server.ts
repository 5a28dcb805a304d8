// `npm start`: runs the coconut store on PORT (default 3000): PostgreSQL at DATABASE_URL, else PGlite in COCONUT_DATA_DIR.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { databaseFromEnv } from './db.js';
import { clearOverridesHref, overrideGroups } from './qa-links.js';
import { VIP_USERS } from './visitor.js';

function portFromEnv(): number {
  const raw = process.env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT is invalid: ${JSON.stringify(raw)}`);
  return port;
}

/** A positive number of milliseconds from the environment, or undefined when unset. */
function msFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`${name} is invalid: ${JSON.stringify(raw)} (expected milliseconds > 0)`);
  return ms;
}

async function main(): Promise<void> {
  const database = databaseFromEnv();
  const host = process.env.HOST ?? 'localhost';
  // How long a partial batch of exposures waits before it is written (default 1 s).
  // Logged-in shoppers' variants are remembered in the same database, so they follow them to every browser.
  const shop = await createApp({ database, assignments: 'database', exposures: { flushIntervalMs: msFromEnv('COCONUT_EXPOSURE_FLUSH_MS') } });
  const server = shop.app.listen(portFromEnv(), host, () => {
    const { port } = server.address() as AddressInfo;
    const base = `http://${host}:${port}`;
    const overrides = overrideGroups('/catalog').flatMap((group) => group.links.map((link) => `    ${base}${link.href}`));
    console.log(
      [
        `🥥 Coconut store: ${base}/catalog   (results: ${base}/results)`,
        `Database: ${database.url ? shop.store.description : `PGlite ${path.relative(process.cwd(), path.resolve(database.dataDir!))}`}`,
        `Log in:        ${base}/login?user=alice   (any name; ${base}/logout to leave)`,
        `Log in as VIP: ${VIP_USERS.map((name) => `${base}/login?user=${name}`).join('  or  ')}   (VIPs are in no test)`,
        process.env.NODE_ENV === 'production'
          ? 'QA overrides are off (NODE_ENV=production).'
          : [
              'Force a variant (QA overrides, remembered by your browser):',
              ...overrides,
              `    ${base}${clearOverridesHref()}   (back to your own variant)`,
            ].join('\n'),
        'Ctrl-C stops the server.',
      ].join('\n'),
    );
  });
  // Graceful shutdown: stop taking requests, let those in flight finish (5 s at most), then write
  // every exposure still queued and close the database.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      const { written } = shop.exposures.stats;
      void shop.close().then(
        () => {
          const after = shop.exposures.stats;
          console.log(
            `${signal}: stopped; wrote ${after.written - written} queued exposures at shutdown (${after.written} in all, ${after.dropped} dropped)`,
          );
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`${signal}: the exposures could not be written:`, error);
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('the coconut store could not start:', error);
  process.exit(1);
});
