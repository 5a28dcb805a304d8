// What the two-process tests and their app processes (app-process.ts) say to each other over IPC.
import type { StoreClientStats } from '../../src/assignment-store/store-client.js';

/** What the parent may ask over IPC. */
export type Request = { type: 'flush' } | { type: 'stats' } | { type: 'close' };
/** What this process answers. */
export type Answer =
  | { type: 'listening'; url: string; pid: number }
  | { type: 'flushed'; ok: boolean; stats: StoreClientStats }
  | { type: 'stats'; stats: StoreClientStats }
  | { type: 'closed'; stats: StoreClientStats };

/** How long a loaded user stays cached: short, so a lost first-write race shows the winner soon. */
export const CACHE_TTL_MS = 300;
