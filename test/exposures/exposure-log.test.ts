// The exposure log as the middleware's onExposure: plain rows, dedup of first exposures, page views, options.
import { expect } from 'chai';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import type { ExposureInput, ExposureRow, ExposureSink } from '../../src/exposures/exposure-rows.js';
import { COLOR, LAYOUT, SIZE, readAsUsers, startApp } from '../support/exposure-app.js';

/** A sink that keeps what it is given, as a queue client would hand it on. */
function memorySink(): ExposureSink & { rows: ExposureRow[]; batches: number } {
  const sink = {
    rows: [] as ExposureRow[],
    batches: 0,
    write(rows: readonly ExposureRow[]): void {
      sink.batches++;
      sink.rows.push(...rows);
    },
  };
  return sink;
}

const exposure = (key: string | null, setName = 'color', variant = 'blue', runId: string | null = null): ExposureInput => ({
  setName,
  variant,
  key,
  runId,
  reason: 'hash',
  firstExposure: true,
  multiSetName: null,
});

describe('exposureLog', () => {
  it('takes the middleware exposures as onExposure and writes plain rows: no request, no assignment', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink, flushIntervalMs: 10 });
    const app = await startApp([COLOR, SIZE, LAYOUT], log);
    try {
      await readAsUsers(app.url, ['ann']);
    } finally {
      await app.close();
    }
    await log.close();
    // One row a set read: the MultiTrackSet's row names the member it chose.
    expect(
      sink.rows
        .map((r) => r.setName)
        .sort()
        .join(' '),
    ).to.match(/^color (grid|list) size$/);
    const grid = sink.rows.find((r) => r.setName === 'grid' || r.setName === 'list')!;
    expect(grid).to.include({ kind: 'first', key: 'ann', reason: 'hash', firstExposure: true, multiSetName: 'layout' });
    for (const r of sink.rows) {
      expect(Object.keys(r).sort()).to.deep.equal(['at', 'firstExposure', 'key', 'kind', 'multiSetName', 'reason', 'runId', 'setName', 'variant']);
      expect(JSON.parse(JSON.stringify(r))).to.deep.equal(r);
      expect(r.runId).to.match(/^[0-9a-f-]{36}$/);
      expect(Date.parse(r.at)).to.be.closeTo(Date.now(), 60_000);
    }
    expect(sink.rows).to.have.length(3);
  });

  it('writes one first row per user, set and variant, however often the user is exposed', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink, flushIntervalMs: 10 });
    const app = await startApp([COLOR, SIZE], log);
    try {
      await readAsUsers(app.url, ['bob', 'bob', 'cid', 'bob', 'cid'], 2);
    } finally {
      await app.close();
    }
    const stats = await log.close();
    expect(stats).to.include({ received: 10, deduplicated: 6, written: 4, dropped: 0 });
    expect(sink.rows.map((r) => `${r.key}:${r.setName}`).sort()).to.deep.equal(['bob:color', 'bob:size', 'cid:color', 'cid:size']);
  });

  it('with pageViews, also writes every exposure as a view row with its own run id', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink, pageViews: true, flushIntervalMs: 10 });
    for (let i = 0; i < 3; i++) log(exposure('dee', 'color', 'blue', `run-${i}`));
    await log.close();
    expect(sink.rows.map((r) => `${r.kind}:${r.runId}`)).to.deep.equal(['first:run-0', 'view:run-0', 'view:run-1', 'view:run-2']);
  });

  it('writes only view rows when first exposures are turned off', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink, firstExposures: false, pageViews: true });
    log(exposure('eve', 'color', 'blue', 'r1'));
    log(exposure('eve', 'color', 'blue', 'r2'));
    await log.close();
    expect(sink.rows.map((r) => r.kind)).to.deep.equal(['view', 'view']);
  });

  it('writes a keyless exposure each time, with a run id, since it has no user to be deduplicated by', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink });
    log(exposure(null, 'color', 'blue', 'r1'));
    log(exposure(null, 'color', 'blue', null));
    await log.close();
    expect(sink.rows).to.have.length(2);
    expect(sink.rows[0]!.runId).to.equal('r1');
    expect(sink.rows[1]!.runId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('tells a user, set and variant apart whatever their names hold', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink });
    log(exposure('b', 'a', 'x'));
    log(exposure('xb', 'a', ''));
    log(exposure('b', 'ax', ''));
    await log.close();
    expect(sink.rows).to.have.length(3);
  });

  it('forgets the least recently seen triples past memoSize, and queues them again', async () => {
    const sink = memorySink();
    const log = exposureLog({ sink, memoSize: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'a']) log(exposure(key));
    await log.close();
    expect(sink.rows.map((r) => r.key)).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f', 'a']);
    const busy = memorySink();
    const again = exposureLog({ sink: busy, memoSize: 2 });
    for (const key of ['a', 'b', 'a', 'c', 'a', 'd', 'a', 'e', 'a']) again(exposure(key));
    await again.close();
    expect(busy.rows.map((r) => r.key)).to.deep.equal(['a', 'b', 'c', 'd', 'e']); // the busy user stays remembered
  });

  it('rejects unknown and invalid options at start-up, naming the option', () => {
    const sink = memorySink();
    expect(() => exposureLog({ sink, flushMs: 5 } as never)).to.throw(/option flushMs is unknown/);
    expect(() => exposureLog({} as never)).to.throw(/option sink is invalid/);
    expect(() => exposureLog({ sink, maxQueue: 0 })).to.throw(/option maxQueue is invalid: 0 \(expected a positive number\)/);
    expect(() => exposureLog({ sink, pageViews: 'yes' as never })).to.throw(/option pageViews is invalid/);
    expect(() => exposureLog({ sink, firstExposures: false })).to.throw(/option firstExposures is invalid: false/);
    try {
      exposureLog({ sink, memoSize: -1 });
      expect.fail('no error');
    } catch (error) {
      expect(error).to.have.property('code', 'ERR_TRACKS_INVALID_OPTION');
    }
  });

  it('never throws on the request path, even closed: a late exposure is dropped and counted', async () => {
    const drops: number[] = [];
    const log = exposureLog({ sink: memorySink(), onDrop: (count) => void drops.push(count) });
    await log.close();
    expect(() => log(exposure('late'))).not.to.throw();
    expect(log.stats).to.include({ received: 1, dropped: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(drops).to.deep.equal([1]);
  });
});
