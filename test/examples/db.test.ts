// The coconut store's SQLite storage: migration, exposure and purchase logging, and the attribution rule of the results query.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { migrate, openDatabase, SCHEMA_VERSION, type ResultsRow, type StoreDatabase } from '../../examples/coconut-store/db.js';

const T0 = Date.UTC(2024, 0, 1);

describe('coconut store database', () => {
  let dir: string;
  let file: string;
  let store: StoreDatabase;

  const expose = (userId: string, variant: string, at: number, setName = 'delay') =>
    store.recordExposure({ userId, setName, variant, runId: `run-${userId}-${at}`, reason: 'hash', firstExposure: true, at });
  const buy = (userId: string, at: number) => store.recordPurchase({ userId, coconutId: 'coco-1', price: 12.5, at });
  const row = (variant: string, setName = 'delay'): ResultsRow | undefined =>
    store.resultsRows().find((r) => r.setName === setName && r.variant === variant);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracks-ab-db-'));
    file = path.join(dir, 'nested', 'store.db'); // the parent directory does not exist yet
    store = openDatabase(file);
  });

  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file and its directory, in WAL mode, at the current schema version', () => {
    expect(fs.existsSync(file)).to.equal(true);
    expect(store.db.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(store.db.pragma('user_version', { simple: true })).to.equal(SCHEMA_VERSION);
  });

  it('migrates idempotently, keeping the data', () => {
    expose('u1', 'long', T0);
    expect(migrate(store.db)).to.equal(SCHEMA_VERSION);
    store.close();
    store = openDatabase(file);
    expect(migrate(store.db)).to.equal(SCHEMA_VERSION);
    expect(store.db.pragma('user_version', { simple: true })).to.equal(SCHEMA_VERSION);
    expect(row('long')?.exposedUsers).to.equal(1);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all();
    expect(tables).to.include.members(['purchases', 'test_runs', 'purchases_user_time', 'test_runs_set_user_time']);
  });

  it('refuses a database from a newer schema', () => {
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(store.db)).to.throw(`schema version ${SCHEMA_VERSION + 1}`);
  });

  it('stores every field of an exposure and a purchase', () => {
    store.recordExposure({
      userId: 'u1',
      setName: 'pricing',
      variant: 'price_adjusted_by_-5',
      runId: 'r1',
      reason: 'sticky',
      firstExposure: false,
      at: T0,
    });
    store.recordPurchase({ userId: 'u1', coconutId: 'c9', price: 7.25, at: new Date(T0 + 1) });
    expect(store.db.prepare('SELECT user_id, set_name, variant, run_id, reason, first_exposure, created_at FROM test_runs').get()).to.deep.equal({
      user_id: 'u1',
      set_name: 'pricing',
      variant: 'price_adjusted_by_-5',
      run_id: 'r1',
      reason: 'sticky',
      first_exposure: 0,
      created_at: T0,
    });
    expect(store.db.prepare('SELECT user_id, coconut_id, price, created_at FROM purchases').get()).to.deep.equal({
      user_id: 'u1',
      coconut_id: 'c9',
      price: 7.25,
      created_at: T0 + 1,
    });
    expect(() => store.recordPurchase({ userId: 'u1', coconutId: 'c9', price: NaN })).to.throw('purchase price is invalid');
  });

  it('counts distinct users, not exposures or purchases', () => {
    expose('u1', 'long', T0);
    expose('u1', 'long', T0 + 10);
    expose('u1', 'long', T0 + 20);
    expose('u2', 'long', T0 + 30);
    buy('u1', T0 + 40);
    buy('u1', T0 + 50);
    expect(store.resultsRows()).to.deep.equal([{ setName: 'delay', variant: 'long', exposedUsers: 2, convertedUsers: 1, mixedUsers: 0 }]);
  });

  it('counts a user for the variant they were first exposed to in the set', () => {
    expose('u1', 'long', T0);
    expose('u1', 'short', T0 + 100); // stickiness broke: still counted for long
    buy('u1', T0 + 200);
    expect(row('long')).to.include({ exposedUsers: 1, convertedUsers: 1, mixedUsers: 1 });
    expect(row('short')).to.equal(undefined);
  });

  it('breaks a tie in time by insertion order', () => {
    expose('u1', 'short', T0);
    expose('u1', 'long', T0);
    expect(row('short')?.exposedUsers).to.equal(1);
    expect(row('long')).to.equal(undefined);
  });

  it('does not count purchases before the first exposure', () => {
    buy('u1', T0 - 1);
    expose('u1', 'long', T0);
    buy('u2', T0 + 5); // same millisecond as the exposure: counts
    expose('u2', 'long', T0 + 5);
    expect(row('long')).to.include({ exposedUsers: 2, convertedUsers: 1 });
  });

  it('counts a purchase made after a later exposure, for the first variant', () => {
    buy('u1', T0 + 50);
    expose('u1', 'long', T0);
    expose('u1', 'long', T0 + 100);
    expect(row('long')?.convertedUsers).to.equal(1);
  });

  it('attributes each set independently', () => {
    expose('u1', 'long', T0, 'delay');
    expose('u1', 'price_adjusted_by_2', T0 + 100, 'pricing');
    buy('u1', T0 + 50); // after the delay exposure, before the pricing one
    expect(row('long')).to.include({ exposedUsers: 1, convertedUsers: 1 });
    expect(row('price_adjusted_by_2', 'pricing')).to.include({ exposedUsers: 1, convertedUsers: 0 });
  });

  it('returns no rows for an empty database', () => {
    expect(store.resultsRows()).to.deep.equal([]);
  });
});
