// redisAssignmentStore on a Redis Cluster of three nodes through ioredis's Cluster: the store contract, users spread over the nodes.
import { expect } from 'chai';
import { Cluster, Redis } from 'ioredis';
import type { AssignmentStore } from '../../src/assignment-store/assignment-store.js';
import { redisAssignmentStore } from '../../src/redis/index.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { runAssignmentStoreContract } from '../assignment-store/assignment-store-contract.js';

describe('redisAssignmentStore on a Redis Cluster of three nodes', function () {
  this.timeout(60_000);
  let cluster: RedisCluster;
  let client: Cluster;
  let store: AssignmentStore;

  before(async () => {
    cluster = await RedisCluster.start(3);
    client = new Cluster(cluster.startupNodes, { enableOfflineQueue: true, redisOptions: { maxRetriesPerRequest: 1 } });
    client.on('error', () => undefined);
    store = redisAssignmentStore(client);
  });

  after(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  runAssignmentStoreContract(() => store);

  it('spreads users over the nodes by slot, each user whole on one node', async () => {
    const at = new Date(0);
    const keys = Array.from({ length: 300 }, (_, i) => `spread-${i}`);
    await store.save(
      keys.flatMap((key) => ['delay', 'pricing'].map((setName) => ({ key, setName, variant: 'a', assignedAt: at, how: 'hash' as const }))),
    );
    const perNode: number[] = [];
    for (const node of cluster.nodes) {
      const direct = new Redis(node.port, '127.0.0.1');
      try {
        const found = await direct.keys('tracks:u:{spread-*');
        perNode.push(found.length);
        for (const key of found) expect(await direct.hlen(key), key).to.equal(2);
      } finally {
        direct.disconnect();
      }
    }
    expect(perNode.reduce((a, b) => a + b)).to.equal(keys.length);
    expect(
      perNode.every((n) => n > 50),
      perNode.join(', '),
    ).to.equal(true);
  });
});
