// BatchWriter against sinks that misbehave: hung writes, refused rows, outages, sinks that empty their batch, closes that give up.
import { expect } from 'chai';
import { BatchWriter, isDataError, type WriteFailure } from '../../src/bounded/batch-writer.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** An error as node-postgres gives one: a message and a SQLSTATE `code`. */
function sqlError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('BatchWriter under faults', () => {
  it('times out a write that never settles, tells onError and writes everything on the retry', async () => {
    const written: number[] = [];
    const errors: Array<[string, WriteFailure]> = [];
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: (b) => {
        if (calls++ === 0) return new Promise<void>(() => undefined); // hangs for good
        written.push(...b);
      },
      writeTimeoutMs: 50,
      retryMs: 10,
      flushIntervalMs: 5,
      onError: (e, info) => void errors.push([(e as { code?: string }).code ?? '', info]),
    });
    for (const i of range(20)) writer.enqueue(i);
    expect(await writer.flush(5000)).to.equal(true);
    expect(written).to.deep.equal(range(20));
    expect(errors.map(([code, info]) => [code, info.refused, info.items])).to.deep.equal([['ERR_TRACKS_WRITE_TIMEOUT', false, 20]]);
    expect(writer.stats).to.deep.include({ written: 20, failures: 1, retries: 1, dropped: 0, refused: 0 });
  });

  it('splits a batch refused for one row until the row is alone, drops and counts it, writes the rest', async () => {
    const written: number[] = [];
    const sizes: number[] = [];
    const refused: unknown[] = [];
    const writer = new BatchWriter<number>({
      write: (b) => {
        sizes.push(b.length);
        if (b.includes(13) || b.includes(77)) throw sqlError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
        written.push(...b);
      },
      maxBatch: 100,
      flushIntervalMs: 5,
      onError: (e, info) => {
        expect(info.refused).to.equal(true);
        expect((e as { code?: string }).code).to.equal('ERR_TRACKS_ROW_REFUSED');
        expect(((e as Error).cause as { code?: string }).code).to.equal('22021');
        refused.push(info.item);
      },
    });
    for (const i of range(100)) writer.enqueue(i);
    expect(await writer.flush(5000)).to.equal(true);
    expect(written).to.deep.equal(range(100).filter((i) => i !== 13 && i !== 77));
    expect(refused).to.deep.equal([13, 77]);
    expect(writer.stats).to.deep.include({ written: 98, refused: 2, dropped: 0, failures: 0, queued: 0 });
    expect(sizes.length).to.be.below(30); // about 2·log2(100) writes a refused row, not one a row
  });

  it('retries an outage whole, never splitting it, and keeps the order', async () => {
    const sizes: number[] = [];
    const written: number[] = [];
    let down = 3;
    const writer = new BatchWriter<number>({
      write: (b) => {
        sizes.push(b.length);
        if (down-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        written.push(...b);
      },
      maxBatch: 50,
      retryMs: 5,
      flushIntervalMs: 5,
      onError: () => undefined,
    });
    for (const i of range(50)) writer.enqueue(i);
    expect(await writer.flush(5000)).to.equal(true);
    expect(sizes).to.deep.equal([50, 50, 50, 50]);
    expect(written).to.deep.equal(range(50));
    expect(writer.stats).to.deep.include({ written: 50, refused: 0, failures: 3 });
  });

  it('takes the sink’s own classification of its errors', async () => {
    const written: string[] = [];
    const writer = new BatchWriter<string>({
      write: (b) => {
        if (b.includes('poison')) throw new Error('the queue refuses this message');
        written.push(...b);
      },
      isDataError: (e) => (e as Error).message.includes('refuses'),
      flushIntervalMs: 5,
      onError: () => undefined,
    });
    for (const s of ['a', 'poison', 'b']) writer.enqueue(s);
    expect(await writer.flush(5000)).to.equal(true);
    expect(written).to.deep.equal(['a', 'b']);
    expect(writer.stats.refused).to.equal(1);
  });

  it('owns its batch: a sink that empties the array it is given gets each item once', async () => {
    const seen: number[] = [];
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: (b) => {
        calls++;
        seen.push(...b.splice(0, b.length));
      },
      maxBatch: 100,
      flushIntervalMs: 5,
    });
    for (const i of range(1000)) writer.enqueue(i);
    expect(await writer.flush(5000)).to.equal(true);
    expect(seen).to.deep.equal(range(1000));
    expect(calls).to.equal(10);
    expect(writer.stats).to.deep.include({ written: 1000, queued: 0 });
  });

  it('honours the back-off however long the queue grows', async () => {
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: () => {
        calls++;
        throw new Error('down');
      },
      maxBatch: 5,
      retryMs: 10_000,
      flushIntervalMs: 5,
      onError: () => undefined,
      onDrop: () => undefined,
    });
    writer.enqueue(0);
    await sleep(50); // the first write fails: a retry is 10 s away
    expect(calls).to.equal(1);
    for (const i of range(200)) writer.enqueue(i); // 40 full batches while it waits
    await sleep(100);
    expect(calls).to.equal(1);
    await writer.close(1);
  });

  it('tries at once on close, without waiting out a pending back-off', async () => {
    const written: number[] = [];
    let failing = true;
    const writer = new BatchWriter<number>({
      write: (b) => {
        if (failing) throw new Error('down');
        written.push(...b);
      },
      retryMs: 30_000,
      flushIntervalMs: 5,
      onError: () => undefined,
    });
    for (const i of range(30)) writer.enqueue(i);
    await sleep(50);
    failing = false; // the database is back; the next retry is 30 s away
    const started = Date.now();
    const stats = await writer.close(5000);
    expect(Date.now() - started).to.be.below(2000);
    expect(stats).to.deep.include({ written: 30, dropped: 0, queued: 0 });
    expect(written).to.deep.equal(range(30));
  });

  it('keeps trying on close until its limit, when the sink comes back meanwhile', async () => {
    let failing = true;
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: () => {
        calls++;
        if (failing) throw new Error('down');
      },
      retryMs: 30_000,
      flushIntervalMs: 5,
      onError: () => undefined,
    });
    for (const i of range(10)) writer.enqueue(i);
    await sleep(30);
    setTimeout(() => (failing = false), 300);
    const stats = await writer.close(5000);
    expect(stats).to.deep.include({ written: 10, dropped: 0 });
    expect(calls).to.be.at.least(3);
  });

  it('counts an in-flight batch once when close gives up and it succeeds later', async () => {
    let release: () => void = () => undefined;
    const drops: number[] = [];
    const writer = new BatchWriter<number>({
      write: () => new Promise<void>((r) => (release = r)),
      maxBatch: 10,
      writeTimeoutMs: 60_000,
      onDrop: (count) => void drops.push(count),
    });
    for (const i of range(15)) writer.enqueue(i);
    await sleep(20); // the first 10 are in flight
    const atClose = await writer.close(50);
    expect(atClose).to.deep.include({ written: 0, dropped: 15, queued: 0 });
    release();
    await sleep(20);
    expect(writer.stats).to.deep.include({ written: 10, dropped: 5, queued: 0 });
    expect(drops).to.deep.equal([15]);
  });

  it('classifies SQLSTATE data errors as refused rows and connection errors as outages', () => {
    for (const code of ['22021', '22001', '22P02', '23502', '54000']) expect(isDataError(sqlError(code, code)), code).to.equal(true);
    for (const code of ['08006', '57P01', '53300', 'ECONNREFUSED', 'ECONNRESET']) expect(isDataError(sqlError(code, code)), code).to.equal(false);
    for (const other of [new Error('x'), null, undefined, 'text', { code: 22021 }]) expect(isDataError(other)).to.equal(false);
  });
});
