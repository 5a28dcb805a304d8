// The exposure log on a real database against poisoned rows and hung writes: the poison is counted, no good row is lost.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { BatchWriter, type WriteFailure } from '../../src/bounded/batch-writer.js';
import { MAX_KEY_LENGTH } from '../../src/engine/key-rule.js';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import type { ExposureInput, ExposureRow, ExposureSink } from '../../src/exposures/exposure-rows.js';
import { exposureSink } from '../../src/postgres/exposure-sink.js';
import { migrate } from '../../src/postgres/migrations.js';
import type { Queryable } from '../../src/postgres/queryable.js';
import { forEachDatabase } from '../support/databases.js';

// Random text: PostgreSQL compresses a repetitive index entry below its 2,704-byte limit, never this one.
const incompressible = (chars: number): string => randomBytes(chars).toString('base64').slice(0, chars);
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
const causeCodeOf = (error: unknown): unknown => codeOf((error as { cause?: unknown } | null)?.cause);

function exposure(key: string | null, variant = 'a', setName = 'poison'): ExposureInput {
  return { setName, variant, key, runId: null, reason: 'hash', firstExposure: true, multiSetName: null };
}

function row(key: string, variant = 'a'): ExposureRow {
  return {
    kind: 'first',
    setName: 'poison',
    variant,
    key,
    runId: `run-${key}`,
    reason: 'hash',
    firstExposure: true,
    multiSetName: null,
    at: '2025-01-02T03:04:05.006Z',
  };
}

/** One test's view of the suite's database: its client, and a schema no other test uses. */
interface TestSchema {
  readonly client: Queryable;
  readonly schema: string;
}

let schemas = 0;

async function firstRows(db: TestSchema): Promise<number> {
  const { rows } = await db.client.query<{ n: number }>(`select count(*)::int as n from ${db.schema}.tracks_exposures`);
  return rows[0]!.n;
}

/** Runs the poison and hung-write tests on PGlite and on the PostgreSQL server, in a fresh schema for each test. */
export function runExposurePoisonSuite(): void {
  forEachDatabase((database) => describeSuite(database));
}

function describeSuite(database: { readonly client: Queryable }): void {
  describe('the exposure log against poisoned rows and hung writes', function () {
    this.timeout(60_000);
    let db: TestSchema;

    beforeEach(async () => {
      db = { client: database.client, schema: `poison_${process.pid}_${++schemas}` };
      await migrate(db.client, { schema: db.schema });
    });
    afterEach(async () => void (await database.client.query(`drop schema if exists ${db.schema} cascade`)));

    it('refuses a NUL key and an over-long key at the log, counts them, and writes every good row', async () => {
      const errors: Array<[unknown, WriteFailure<unknown>]> = [];
      const log = exposureLog({
        sink: exposureSink(db.client, { schema: db.schema }),
        flushIntervalMs: 10,
        onError: (e, info) => void errors.push([e, info]),
      });
      for (let i = 0; i < 400; i++) {
        if (i === 100) log(exposure('evil\u0000key'));
        if (i === 300) log(exposure('k'.repeat(2400)));
        if (i === 350) log(exposure('user\uD800'));
        log(exposure(`good-${i}`));
      }
      const stats = await log.close(20_000);
      expect(stats).to.include({ received: 403, written: 400, refused: 3, dropped: 0, failures: 0, queued: 0 });
      expect(errors.map(([e, info]) => [codeOf(e), info.refused])).to.deep.equal(Array(3).fill(['ERR_TRACKS_INVALID_KEY', true]));
      expect(await firstRows(db)).to.equal(400);
    });

    it('isolates rows the database refuses among good ones (a NUL in a variant, an index entry too large), drops and counts them', async () => {
      const errors: Array<[unknown, WriteFailure<unknown>]> = [];
      const log = exposureLog({
        sink: exposureSink(db.client, { schema: db.schema }),
        flushIntervalMs: 10,
        onError: (e, info) => void errors.push([e, info]),
      });
      for (let i = 0; i < 400; i++) {
        if (i === 150) log(exposure('victim-1', 'bad\u0000variant'));
        if (i === 250) log(exposure('victim-2', incompressible(3000)));
        log(exposure(`good-${i}`));
      }
      const stats = await log.close(20_000);
      expect(stats).to.include({ received: 402, written: 400, refused: 2, dropped: 0, failures: 0, queued: 0 });
      expect(errors.map(([e, info]) => [codeOf(e), causeCodeOf(e), info.refused, (info.item as ExposureRow).key])).to.deep.equal([
        ['ERR_TRACKS_ROW_REFUSED', '22021', true, 'victim-1'],
        ['ERR_TRACKS_ROW_REFUSED', '54000', true, 'victim-2'],
      ]);
      expect(await firstRows(db)).to.equal(400);
    });

    it('classifies what this database refuses for a key as a data error: the writer isolates a NUL key and an over-long key', async () => {
      // Below the log's key rule: rows handed straight to the sink, as another writer of the table would.
      const refused: unknown[] = [];
      const sink = exposureSink(db.client, { schema: db.schema });
      const writer = new BatchWriter<ExposureRow>({
        write: (rows) => sink.write(rows),
        isDataError: (e) => sink.isDataError!(e),
        flushIntervalMs: 10,
        onError: (e, info) => void refused.push([causeCodeOf(e), info.item?.key?.slice(0, 8)]),
      });
      for (let i = 0; i < 200; i++) {
        if (i === 50) writer.enqueue(row('evil\u0000key'));
        if (i === 120) writer.enqueue(row(`k${incompressible(MAX_KEY_LENGTH * 6)}`));
        writer.enqueue(row(`good-${i}`));
      }
      const stats = await writer.close(20_000);
      expect(stats).to.include({ written: 200, refused: 2, dropped: 0, failures: 0 });
      expect(refused.map((r) => (r as unknown[])[0])).to.deep.equal(['22021', '54000']);
      expect((refused[0] as unknown[])[1]).to.equal('evil\u0000key');
      expect(await firstRows(db)).to.equal(200);
    });

    it('times out a write that never settles, tells onError, and writes every row on the retry', async () => {
      const sink = exposureSink(db.client, { schema: db.schema });
      let calls = 0;
      const hangsOnce: ExposureSink = {
        write: (rows) => (calls++ === 0 ? new Promise<void>(() => undefined) : sink.write(rows)),
      };
      const errors: unknown[] = [];
      const log = exposureLog({
        sink: hangsOnce,
        writeTimeoutMs: 300,
        retryMs: 20,
        flushIntervalMs: 10,
        onError: (e) => void errors.push(codeOf(e)),
      });
      for (let i = 0; i < 400; i++) log(exposure(`hung-${i}`));
      expect(await log.flush(20_000)).to.equal(true);
      expect(log.stats).to.include({ written: 400, failures: 1, retries: 1, dropped: 0, refused: 0 });
      expect(errors).to.deep.equal(['ERR_TRACKS_WRITE_TIMEOUT']);
      expect(await firstRows(db)).to.equal(400);
      await log.close();
    });
  });
}
