// A throw-away Redis Cluster for tests: three redis-server nodes on loopback ports, the 16,384 slots split between them.
import Redis from 'ioredis';
import { RedisServer } from './redis-server.js';

const SLOTS = 16_384;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Three master nodes, each holding a third of the slots, that know each other; `stop()` ends them all. */
export class RedisCluster {
  private constructor(readonly nodes: readonly RedisServer[]) {}

  /** Starts the nodes, joins them (CLUSTER MEET), assigns the slots, and waits until every node says the cluster is ok. */
  static async start(size = 3): Promise<RedisCluster> {
    const nodes: RedisServer[] = [];
    const admins: Redis[] = [];
    try {
      for (let i = 0; i < size; i++) nodes.push(await RedisServer.start({ cluster: true }));
      for (const node of nodes) admins.push(new Redis(node.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 }));
      for (const admin of admins) await admin.connect();
      for (const node of nodes.slice(1)) await admins[0]!.cluster('MEET', '127.0.0.1', node.port);
      const per = Math.ceil(SLOTS / size);
      await Promise.all(admins.map((admin, i) => admin.cluster('ADDSLOTSRANGE', i * per, Math.min(SLOTS, (i + 1) * per) - 1)));
      const deadline = Date.now() + 30_000;
      for (;;) {
        const infos = await Promise.all(admins.map((admin) => admin.cluster('INFO')));
        if (infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${size}`))) break;
        if (Date.now() > deadline) throw new Error(`the cluster did not reach state ok within 30 s:\n${infos.join('\n')}`);
        await sleep(100);
      }
      return new RedisCluster(nodes);
    } catch (error) {
      await Promise.all(nodes.map((n) => n.stop()));
      throw error;
    } finally {
      for (const admin of admins) admin.disconnect();
    }
  }

  /** The nodes' addresses, as `new Cluster(startupNodes)` takes them. */
  get startupNodes(): Array<{ host: string; port: number }> {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}
