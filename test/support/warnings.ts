// Collects the process warnings that a piece of code emits, for tests that must see none or one.

/**
 * Runs `run`, then waits a turn of the event loop (`process.emitWarning` delivers on the next
 * tick) and returns every warning emitted meanwhile, of any kind. The warnings are the test's to
 * check, so Node's own printer (its `onWarning` listener) is set aside meanwhile: `npm test`
 * prints no warning a test provoked on purpose.
 */
export async function warningsDuring(run: () => unknown): Promise<Error[]> {
  const seen: Error[] = [];
  const listener = (warning: Error): void => void seen.push(warning);
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', listener);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
    for (const printer of printers) process.on('warning', printer);
  }
  return seen;
}
