// Mocha root hooks for a server the whole run shares (PostgreSQL, Redis): started unless the environment names one, stopped after the last test.

/** What the hooks need of a server kind. */
export interface SharedServer {
  /** The variable that names a server given from outside, and that the hooks set to the one they start. */
  readonly env: string;
  /** As in messages: "a PostgreSQL server". */
  readonly what: string;
  /** The sentence that says how to get one: install it, or set `env`. */
  readonly remedy: string;
  /** The hooks file, named when a suite asks for the server before they ran. */
  readonly hooksFile: string;
  readonly startTimeoutMs: number;
  readonly start: () => Promise<{ url(): string; stop(): Promise<void> }>;
}

/**
 * The root hooks for `kind`, and `url()`: the server's URL, or, when the run could not start one,
 * an error with the reason and the remedy, so that a suite that needs the server fails and is never
 * skipped. In CI a missing server fails the run even if no suite asked for it.
 */
export function sharedServerHooks(kind: SharedServer) {
  let server: { url(): string; stop(): Promise<void> } | null = null;
  let problem: Error | null = null;
  const url = (): string => {
    const given = process.env[kind.env];
    if (given) return given;
    throw problem ?? new Error(`${kind.env} is not set and the root hook (${kind.hooksFile}) did not run`);
  };
  const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
      if (process.env[kind.env]) return;
      this.timeout(kind.startTimeoutMs);
      try {
        server = await kind.start();
        process.env[kind.env] = server.url();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problem = new Error(`the tests need ${kind.what} and none could be started: ${reason}\n${kind.remedy}`);
        console.error(`\n  ${problem.message.replaceAll('\n', '\n  ')}\n`);
      }
    },
    async afterAll(this: Mocha.Context): Promise<void> {
      this.timeout(30_000);
      if (server !== null) {
        await server.stop();
        delete process.env[kind.env];
        server = null;
      }
      if (problem !== null && /^(1|true|yes)$/i.test(process.env.CI ?? '')) throw problem;
    },
  };
  return { url, mochaHooks };
}
