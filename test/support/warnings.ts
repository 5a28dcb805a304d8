// Collects the process warnings that a piece of code emits, for tests that must see none or one.

/**
 * Runs `run`, then waits a turn of the event loop (`process.emitWarning` delivers on the next
 * tick) and returns every warning emitted meanwhile, of any kind.
 */
export async function warningsDuring(run: () => unknown): Promise<Error[]> {
  const seen: Error[] = [];
  const listener = (warning: Error): void => void seen.push(warning);
  process.on('warning', listener);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}
