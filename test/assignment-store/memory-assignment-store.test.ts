// MemoryAssignmentStore: the same contract as the database stores, in this process's memory.
import { expect } from 'chai';
import { MemoryAssignmentStore } from '../../src/assignment-store/memory-assignment-store.js';
import { runAssignmentStoreContract } from './assignment-store-contract.js';

describe('MemoryAssignmentStore', () => {
  const store = new MemoryAssignmentStore();
  runAssignmentStoreContract(() => store);

  it('counts the records it holds', async () => {
    const fresh = new MemoryAssignmentStore();
    await fresh.save([
      { key: 'a', setName: 'delay', variant: 'long', assignedAt: new Date(), how: 'hash' },
      { key: 'a', setName: 'delay', variant: 'short', assignedAt: new Date(), how: 'hash' },
      { key: 'b', setName: 'delay', variant: 'short', assignedAt: new Date(), how: 'hash' },
    ]);
    expect(fresh.size).to.equal(2);
  });
});
