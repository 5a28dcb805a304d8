// `npm start`: runs the coconut store on PORT (default 3000) with its SQLite file at COCONUT_DB.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { clearOverridesHref, overrideGroups } from './qa-links.js';
import { VIP_USERS } from './visitor.js';

/** Where the database lives unless COCONUT_DB says otherwise (gitignored). */
export const DEFAULT_DB_PATH = path.join(__dirname, 'data', 'coconut.db');

function portFromEnv(): number {
  const raw = process.env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT is invalid: ${JSON.stringify(raw)}`);
  return port;
}

function main(): void {
  const dbPath = process.env.COCONUT_DB ?? DEFAULT_DB_PATH;
  const host = process.env.HOST ?? 'localhost';
  const { app, store } = createApp({ dbPath });
  const server = app.listen(portFromEnv(), host, () => {
    const { port } = server.address() as AddressInfo;
    const base = `http://${host}:${port}`;
    const overrides = overrideGroups('/catalog').flatMap((group) => group.links.map((link) => `    ${base}${link.href}`));
    console.log(
      [
        `🥥 Coconut store: ${base}/catalog   (results: ${base}/results)`,
        `Database: ${path.relative(process.cwd(), path.resolve(dbPath)) || dbPath}`,
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
  const stop = (): void => {
    server.close(() => {
      store.close();
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
