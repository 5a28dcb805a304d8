// One app server in its own process, on PostgreSQL or Redis through the store: what the two-process tests start twice.
// Usage (forked with IPC by store-two-processes.test.ts): store-app-process.ts <framework> <before|after> <postgres:// or redis:// url>
import { StoreClient } from '../../src/assignment-store/store-client.js';
import { openStore } from '../support/scenario-stores.js';
import { CACHE_TTL_MS, type Answer, type Request } from './store-app-protocol.js';
import { Delay, DelayReweighted, startStoreApp, type Framework } from '../support/store-apps.js';

async function main(): Promise<void> {
  const [framework, weights, url] = process.argv.slice(2) as [Framework, 'before' | 'after', string];
  const opened = await openStore(url);
  const client = new StoreClient(opened.store, {
    timeoutMs: 2000, // two busy processes on a shared machine: the tests here are about agreement, not outages
    flushIntervalMs: 10,
    cache: { ttlMs: CACHE_TTL_MS },
    onError: (error) => console.error(`app-process ${process.pid}: store failure`, error),
  });
  const app = await startStoreApp(framework, weights === 'before' ? Delay : DelayReweighted, { store: client });
  const send = (answer: Answer): void => void process.send?.(answer);
  process.on('message', (message: Request) => {
    if (message.type === 'flush') void client.flush(10_000).then((ok) => send({ type: 'flushed', ok, stats: client.stats }));
    else if (message.type === 'stats') send({ type: 'stats', stats: client.stats });
    else if (message.type === 'close') {
      void (async () => {
        await app.close();
        const stats = await client.close();
        await opened.close();
        send({ type: 'closed', stats });
        process.disconnect?.();
      })();
    }
  });
  send({ type: 'listening', url: app.url, pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
