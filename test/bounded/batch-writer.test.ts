// BatchWriter: batches by size and time, retries a failing sink without losing or reordering, counts drops.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { BatchWriter, type BatchWriterStats } from '../../src/bounded/batch-writer.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('BatchWriter', () => {
  it('writes a full batch at once and a partial one after the interval', async () => {
    const batches: number[][] = [];
    const writer = new BatchWriter<number>({ write: (b) => void batches.push([...b]), maxBatch: 3, flushIntervalMs: 30 });
    for (let i = 0; i < 4; i++) writer.enqueue(i);
    await sleep(5);
    expect(batches).to.deep.equal([[0, 1, 2]]);
    await sleep(60);
    expect(batches).to.deep.equal([[0, 1, 2], [3]]);
    expect(writer.stats).to.deep.include({ queued: 0, written: 4, dropped: 0 });
  });

  it('retries a failing sink with back-off and loses nothing, in order', async () => {
    const written: number[] = [];
    let failuresLeft = 4;
    const errors: number[] = [];
    const writer = new BatchWriter<number>({
      write: (b) => {
        if (failuresLeft-- > 0) throw new Error('sink down');
        written.push(...b);
      },
      maxBatch: 10,
      flushIntervalMs: 5,
      retryMs: 2,
      onError: (_e, info) => void errors.push(info.attempt),
    });
    for (let i = 0; i < 35; i++) writer.enqueue(i);
    expect(await writer.flush(2000)).to.equal(true);
    expect(written).to.deep.equal(Array.from({ length: 35 }, (_, i) => i));
    expect(errors).to.deep.equal([1, 2, 3, 4]);
    expect(writer.stats).to.deep.include({ written: 35, dropped: 0, failures: 4, retries: 4 });
  });

  it('drops past the queue bound, counts the drops and reports them once, summed', async () => {
    const reports: Array<[number, BatchWriterStats]> = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new BatchWriter<number>({
      write: () => gate,
      maxBatch: 2,
      maxQueue: 5,
      onDrop: (count, stats) => void reports.push([count, stats]),
    });
    const accepted = Array.from({ length: 12 }, (_, i) => writer.enqueue(i)).filter(Boolean).length;
    expect(accepted).to.equal(5);
    expect(writer.stats.dropped).to.equal(7);
    await sleep(5);
    release();
    const stats = await writer.close(1000);
    expect(stats).to.deep.include({ written: 5, dropped: 7, queued: 0 });
    expect(reports.map(([count]) => count)).to.deep.equal([7]);
  });

  it('flushes everything on close, and refuses items afterwards', async () => {
    const written: number[] = [];
    const writer = new BatchWriter<number>({ write: (b) => void written.push(...b), flushIntervalMs: 60_000, onDrop: () => undefined });
    for (let i = 0; i < 1234; i++) writer.enqueue(i);
    await writer.close();
    expect(written).to.have.length(1234);
    expect(writer.enqueue(1)).to.equal(false);
    expect(writer.stats.dropped).to.equal(1);
  });

  it('gives up on a dead sink at the close deadline, reporting what it dropped', async () => {
    let dropped = 0;
    const writer = new BatchWriter<number>({
      write: () => Promise.reject(new Error('down for good')),
      retryMs: 5,
      onError: () => undefined,
      onDrop: (count) => void (dropped += count),
    });
    for (let i = 0; i < 10; i++) writer.enqueue(i);
    const stats = await writer.close(50);
    expect(stats).to.deep.include({ written: 0, dropped: 10, queued: 0 });
    expect(dropped).to.equal(10);
  });

  it('survives hooks that throw or reject', async () => {
    const writer = new BatchWriter<number>({
      write: () => Promise.reject(new Error('down')),
      retryMs: 1,
      onError: () => Promise.reject(new Error('the logger is down too')),
      onDrop: () => {
        throw new Error('and this one throws');
      },
    });
    writer.enqueue(1);
    expect(await writer.flush(30)).to.equal(false);
    expect((await writer.close(10)).dropped).to.equal(1);
  });

  it('never keeps a process alive while it waits', () => {
    const script = `const { BatchWriter } = require(${JSON.stringify(resolve(__dirname, '../../dist/src/bounded/batch-writer.js'))});
      const w = new BatchWriter({ write: () => Promise.reject(new Error('x')), flushIntervalMs: 60000, onError() {} });
      w.enqueue(1); console.log('queued', w.stats.queued);`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(out.trim()).to.equal('queued 1');
  });

  it('keeps the process alive while a flush waits, so a script can await it', () => {
    const script = `const { BatchWriter } = require(${JSON.stringify(resolve(__dirname, '../../dist/src/bounded/batch-writer.js'))});
      const w = new BatchWriter({ write: async (b) => console.log('wrote', b.length), flushIntervalMs: 60000 });
      w.enqueue(1); w.enqueue(2); w.flush().then((done) => console.log('flushed', done));`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(out.trim().split('\n')).to.deep.equal(['wrote 2', 'flushed true']);
  });

  it('refuses options that make no sense', () => {
    expect(() => new BatchWriter<number>({ write: () => undefined, maxBatch: 0 })).to.throw(/option maxBatch is invalid: 0/);
    expect(() => new BatchWriter<number>({} as never)).to.throw(/option write is invalid/);
  });
});
