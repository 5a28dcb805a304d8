// The last moment a Node response's headers can change: one watcher or several, however writeHead is called, whoever wrapped it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { beforeWriteHead, type HeadWatcher } from '../../adapters/before-write-head.js';

/** A watcher of `res` that sets `x-<name>` (seeing the status code and headers so far) and records its calls in `log`. */
function watcher(name: string, log: string[], res: ServerResponse, pending = () => true): HeadWatcher {
  return {
    pending,
    headersDue() {
      log.push(`${name} saw ${res.statusCode} ${String(res.getHeader('content-type'))}`);
      res.setHeader(`x-${name}`, 'yes');
    },
  };
}

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ get: () => request.Test; close: () => Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: () => request(url).get('/'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('beforeWriteHead', () => {
  const calls: Array<[string, (res: ServerResponse) => void]> = [
    ['writeHead(status) from end()', (res) => res.end('ok')],
    ['writeHead(status, headers)', (res) => res.writeHead(201, { 'content-type': 'text/plain' }).end('ok')],
    ['writeHead(status, reason, headers)', (res) => res.writeHead(201, 'Made', { 'content-type': 'text/plain' }).end('ok')],
    ['writeHead(status, reason)', (res) => res.writeHead(201, 'Made').end('ok')],
    ['writeHead(status, undefined, headers)', (res) => res.writeHead(201, undefined, { 'content-type': 'text/plain' }).end('ok')],
    ['writeHead(status, [name, value, ...])', (res) => res.writeHead(201, ['content-type', 'text/plain']).end('ok')],
  ];

  for (const [label, respond] of calls) {
    it(`runs one watcher once, before ${label} writes, with what was passed already on the response`, async () => {
      const log: string[] = [];
      const app = await serve((_req, res) => {
        res.setHeader('content-type', 'text/html');
        beforeWriteHead(res, watcher('a', log, res));
        respond(res);
      });
      try {
        const res = await app.get();
        expect(res.headers['x-a']).to.equal('yes');
        const status = label.startsWith('writeHead(status)') ? 200 : 201;
        expect(res.status).to.equal(status);
        if (label.includes('reason')) expect((res as unknown as { res: { statusMessage: string } }).res.statusMessage).to.equal('Made');
        const type = label.includes('headers') || label.includes('[name') ? 'text/plain' : 'text/html';
        expect(log).to.deep.equal([`a saw ${status} ${type}`]);
      } finally {
        await app.close();
      }
    });
  }

  it('runs two watchers of one response once each, the later first, and a wrapper put on top still reaches them', async () => {
    const log: string[] = [];
    const app = await serve((_req, res) => {
      beforeWriteHead(res, watcher('first', log, res));
      beforeWriteHead(res, watcher('second', log, res));
      // Someone else's wrapper, on-headers style, around ours.
      const inner = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = (...args: unknown[]) => {
        log.push('outer');
        return inner(...args);
      };
      res.setHeader('content-type', 'text/plain');
      res.end('ok');
    });
    try {
      const res = await app.get();
      expect(res.headers['x-first']).to.equal('yes');
      expect(res.headers['x-second']).to.equal('yes');
      expect(log).to.deep.equal(['outer', 'second saw 200 text/plain', 'first saw 200 text/plain']);
    } finally {
      await app.close();
    }
  });

  it('leaves writeHead untouched, then and later, when the watcher has nothing pending', async () => {
    const log: string[] = [];
    let pending = false;
    const app = await serve((_req, res) => {
      beforeWriteHead(
        res,
        watcher('idle', log, res, () => pending),
      );
      res.writeHead(202, { 'content-type': 'text/plain' });
      pending = true; // too late: the headers are out
      res.end('ok');
    });
    try {
      const res = await app.get();
      expect(res.status).to.equal(202);
      expect(res.headers['x-idle']).to.equal(undefined);
      expect(log).to.deep.equal([]);
    } finally {
      await app.close();
    }
  });
});
