// What every tracks-ab command is: a name, its help, and a run that returns the exit code.
import type { Queryable } from '../postgres/queryable.js';

/** Where a command writes, and what it reads from its environment. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** An open database and how to close it. */
export interface OpenDatabase {
  readonly client: Queryable;
  close(): Promise<void>;
}

/** What a command asks of the database it opens. */
export interface OpenOptions {
  readonly pglite?: string;
  readonly databaseUrl?: string;
  readonly access?: 'read' | 'write';
  /**
   * How many statements the command may run at once (default 1). Above 1, PostgreSQL is opened as a
   * pool of that many connections; PGlite has one connection whatever is asked.
   */
  readonly connections?: number;
}

/** Opens the database the command line's options name (replaceable, for tests that share an in-process PGlite). */
export type DatabaseOpener = (options: OpenOptions) => Promise<OpenDatabase>;

/** What a command runs with. */
export interface CliContext {
  readonly io: CliIo;
  readonly open: DatabaseOpener;
}

/** One command: `tracks-ab <name> …`. Adding a command is one file exporting this, and one line in commands.ts. */
export interface Command {
  readonly name: string;
  /** One line for `tracks-ab --help`. */
  readonly summary: string;
  /** The whole `--help` text, starting with its usage lines. */
  readonly help: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. Throw `UsageError` (2) or `OperationError` (1). */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

/** A mistake in the command line itself: exit code 2, with the command's usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: Command | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An operation that failed (unknown set, no database, …): exit code 1. */
export class OperationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OperationError';
  }
}

/** The usage lines of a help text (its lines up to the first blank one), for a usage error. */
export function usageOf(command: Command): string {
  const end = command.help.indexOf('\n\n');
  return end < 0 ? command.help : command.help.slice(0, end);
}
