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
  // Each call form, with what the client and the watcher must see: the status, its message, and the content type in force.
  const plain = { 'content-type': 'text/plain' };
  const calls: Array<{ call: string; respond: (res: ServerResponse) => void; status: number; message: string; type: string }> = [
    { call: 'writeHead(status) from end()', respond: (res) => res.end('ok'), status: 200, message: 'OK', type: 'text/html' },
    {
      call: 'writeHead(status, headers)',
      respond: (res) => res.writeHead(201, plain).end('ok'),
      status: 201,
      message: 'Created',
      type: 'text/plain',
    },
    {
      call: 'writeHead(status, reason, headers)',
      respond: (res) => res.writeHead(201, 'Made', plain).end('ok'),
      status: 201,
      message: 'Made',
      type: 'text/plain',
    },
    { call: 'writeHead(status, reason)', respond: (res) => res.writeHead(201, 'Made').end('ok'), status: 201, message: 'Made', type: 'text/html' },
    {
      call: 'writeHead(status, undefined, headers)',
      respond: (res) => res.writeHead(201, undefined, plain).end('ok'),
      status: 201,
      message: 'Created',
      type: 'text/plain',
    },
    {
      call: 'writeHead(status, [name, value, ...])',
      respond: (res) => res.writeHead(201, ['content-type', 'text/plain']).end('ok'),
      status: 201,
      message: 'Created',
      type: 'text/plain',
    },
  ];

  for (const { call, respond, status, message, type } of calls) {
    it(`runs one watcher once, before ${call} writes, with what was passed already on the response`, async () => {
      const log: string[] = [];
      const app = await serve((_req, res) => {
        res.setHeader('content-type', 'text/html');
        beforeWriteHead(res, watcher('a', log, res));
        respond(res);
      });
      try {
        const res = await app.get();
        expect(res.headers['x-a']).to.equal('yes');
        expect(res.status).to.equal(status);
        expect((res as unknown as { res: { statusMessage: string } }).res.statusMessage).to.equal(message);
        expect(res.headers['content-type']).to.match(new RegExp(`^${type}`));
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
