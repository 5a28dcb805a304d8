// One vocabulary for options: every parser refuses the same mistakes with ERR_TRACKS_INVALID_OPTION and the same words.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { BatchWriter, exposureLog, StoreClient, MemoryAssignmentStore, TracksError } from '../../src/index.js';
import { checkKnownOptions, numberOption } from '../../src/engine/option-checks.js';
import { postgresControls } from '../../src/postgres/index.js';
import { pgliteTemplate } from '../support/databases.js';

/** The error `run` throws: a TracksError with ERR_TRACKS_INVALID_OPTION, else the test fails. */
function refusal(run: () => unknown): TracksError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(TracksError);
    expect((error as TracksError).code).to.equal('ERR_TRACKS_INVALID_OPTION');
    return error as TracksError;
  }
  expect.fail('expected a TracksError');
}

describe('option checks', () => {
  it('knows an option only as an own property of the known names, never an inherited one', () => {
    const known = { ttlMs: true, maxEntries: true };
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const options = JSON.parse(`{"${name}": 1}`) as object;
      expect(refusal(() => checkKnownOptions('cache', options, known)).message).to.equal(
        `option cache.${name} is unknown (known: ttlMs, maxEntries)`,
      );
    }
    expect(() => checkKnownOptions('cache', { ttlMs: 1 }, known)).not.to.throw();
  });

  it('takes finite numbers within the rule only', () => {
    for (const value of [0, -5, NaN, Infinity, 'abc', '10', null, true, {}]) refusal(() => numberOption('n', value, 1));
    expect(refusal(() => numberOption('pollIntervalMs', 5, 1, { min: 10, unit: 'ms' })).message).to.equal(
      'option pollIntervalMs is invalid: 5 (expected a number of ms, at least 10)',
    );
    expect(refusal(() => numberOption('n', 1.5, 1, { min: 1, integer: true })).message).to.equal(
      'option n is invalid: 1.5 (expected an integer of at least 1)',
    );
    expect(numberOption('n', undefined, 7)).to.equal(7);
    expect(numberOption('n', 0.5, 7)).to.equal(0.5);
  });

  describe('where the copies had drifted', () => {
    let db: PGlite;
    before(async function () {
      this.timeout(120_000);
      db = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    });
    after(() => db.close());

    it('refuses a pollIntervalMs of 1, 0, -5, NaN or "abc" (it used to be accepted, polling hundreds of times a second)', () => {
      for (const pollIntervalMs of [1, 0, -5, NaN, 'abc']) {
        expect(refusal(() => postgresControls(db, { pollIntervalMs: pollIntervalMs as number })).message).to.match(
          /^option controls\.pollIntervalMs is invalid: .* \(expected a number of ms, at least 10\)$/,
        );
      }
    });

    it('refuses { toString: 1 } as an unknown controls option (an `in` check used to let it through)', () => {
      const options = JSON.parse('{"toString": 1}') as Parameters<typeof postgresControls>[1];
      expect(refusal(() => postgresControls(db, options)).message).to.match(/^option controls\.toString is unknown/);
    });

    it('throws the same TracksError from the batch writer as from the exposure log, for the same option', () => {
      const sink = { write: (): void => undefined };
      const fromLog = refusal(() => exposureLog({ sink, maxBatch: 0 }));
      const fromWriter = refusal(() => new BatchWriter<number>({ write: () => undefined, maxBatch: 0 }));
      expect([fromLog.message, fromWriter.message]).to.deep.equal([
        'option maxBatch is invalid: 0 (expected a positive number)',
        'option maxBatch is invalid: 0 (expected a positive number)',
      ]);
      refusal(() => new BatchWriter<number>({} as never));
      refusal(() => new StoreClient(new MemoryAssignmentStore(), { timeoutMs: NaN }));
    });
  });
});
