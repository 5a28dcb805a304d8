// postgresAssignmentStore on PGlite and on a PostgreSQL server: the store contract, and the rows it writes.
import { expect } from 'chai';
import type { AssignmentStore } from '../../src/assignment-store/assignment-store.js';
import { migrate, postgresAssignmentStore } from '../../src/postgres/index.js';
import { forEachDatabase } from '../support/databases.js';
import { runAssignmentStoreContract } from '../assignment-store/assignment-store-contract.js';

describe('postgresAssignmentStore', () => {
  forEachDatabase((db) => {
    let store: AssignmentStore;
    before(async () => {
      await migrate(db.client);
      store = postgresAssignmentStore(db.client);
    });

    runAssignmentStoreContract(() => store);

    it('writes one row per key and set, with the columns docs/schema.md describes', async () => {
      const assignedAt = new Date('2025-03-04T05:06:07.089Z');
      await store.save([{ key: 'row-1', setName: 'delay', variant: 'long', assignedAt, how: 'anonymous' }]);
      const { rows } = await db.client.query<Record<string, unknown>>(`select * from tracks_assignments where user_key = $1`, ['row-1']);
      expect(rows).to.deep.equal([{ user_key: 'row-1', set_name: 'delay', variant: 'long', assigned_at: assignedAt, how: 'anonymous' }]);
    });

    it('refuses a forced record in the table itself, whoever writes it', async () => {
      const insert = db.client.query(`insert into tracks_assignments values ('x', 'delay', 'long', now(), 'forced')`);
      await insert.then(
        () => expect.fail('the check constraint should refuse it'),
        (error: Error) => expect(error.message).to.match(/check constraint/),
      );
    });

    it('keeps each schema apart', async () => {
      await migrate(db.client, { schema: 'tenant_b' });
      const other = postgresAssignmentStore(db.client, { schema: 'tenant_b' });
      await other.save([{ key: 'row-1', setName: 'delay', variant: 'short', assignedAt: new Date(0), how: 'hash' }]);
      expect((await other.load('row-1')).get('delay')?.variant).to.equal('short');
      expect((await store.load('row-1')).get('delay')?.variant).to.equal('long');
    });

    it('refuses a schema name that is not a plain identifier', () => {
      expect(() => postgresAssignmentStore(db.client, { schema: 'public; drop table x' })).to.throw(/option schema is invalid/);
    });
  });
});
