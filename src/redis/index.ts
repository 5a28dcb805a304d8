// tracks-ab/redis: the assignment store on Redis or Valkey (a server or a cluster), over an ioredis-compatible client.
export { redisAssignmentStore } from './redis-assignment-store.js';
export type { RedisStoreOptions, RedisSetExpiry } from './redis-store-options.js';
export type { RedisClientLike, RedisPipelineLike } from './redis-client.js';
