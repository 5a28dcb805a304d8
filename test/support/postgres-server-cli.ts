// `scripts/postgres-server.sh start|url|stop`: one PostgreSQL server kept running for test files run by hand.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PostgresServer } from './postgres-server.js';

// Its state (data dir, port, pid) is kept in .tmp/ between commands.
const STATE = resolve(__dirname, '../../.tmp/postgres-server.json');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(command: string | undefined): Promise<number> {
  const state = existsSync(STATE) ? (JSON.parse(readFileSync(STATE, 'utf8')) as { dir: string; port: number; pid: number }) : null;
  const running = state !== null && isRunning(state.pid);
  if (command === 'start') {
    if (!running) {
      const server = await PostgresServer.start({ detached: true });
      mkdirSync(resolve(STATE, '..'), { recursive: true });
      writeFileSync(STATE, JSON.stringify({ dir: server.dir, port: server.port, pid: server.pid }));
      console.log(server.url());
    } else console.log(PostgresServer.attach(state).url());
    return 0;
  }
  if (command === 'url' && running) return (console.log(PostgresServer.attach(state).url()), 0);
  if (command === 'url') return (console.error('no server running: scripts/postgres-server.sh start'), 1);
  if (command === 'stop') {
    if (state !== null) await PostgresServer.attach(state).stop();
    rmSync(STATE, { force: true });
    return 0;
  }
  console.error('usage: scripts/postgres-server.sh start|url|stop');
  return 2;
}

if (require.main === module) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
