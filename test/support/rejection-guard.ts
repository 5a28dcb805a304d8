// Fails a test that leaves a promise rejection unhandled: the one guard the hook and provider suites share.
import { expect } from 'chai';

/** Turns of the event loop to wait: rejections surface after the microtask queue drains. */
async function drain(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Runs `body`, then fails if any promise rejection went unhandled while it ran (or just after). */
export async function withoutUnhandledRejections(body: () => Promise<void> | void): Promise<void> {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', record);
  try {
    await body();
    await drain();
  } finally {
    process.off('unhandledRejection', record);
  }
  expect(unhandled, 'unhandled rejections').to.deep.equal([]);
}

/** In a `describe`: every test of it fails if it leaves a promise rejection unhandled. */
export function guardUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(async () => {
    await drain();
    process.off('unhandledRejection', record);
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
  });
}
