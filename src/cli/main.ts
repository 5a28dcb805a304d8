#!/usr/bin/env node
// The tracks-ab command line: finds the command, runs it, and turns what happened into an exit code (0, 1, 2).
import { closestName } from '../engine/did-you-mean.js';
import { OperationError, UsageError, usageOf, type CliIo, type DatabaseOpener } from './command.js';
import { COMMANDS } from './commands.js';
import { openDatabase } from './database.js';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `usage: tracks-ab <command> [<args>] [--pglite <dir> | --database-url <url>] [--schema <name>] [--json]

commands:
${COMMANDS.map((c) => `    ${c.name.padEnd(width)}    ${c.summary}`).join('\n')}

The database is $DATABASE_URL (PostgreSQL, through pg) unless --pglite <dir> names a PGlite one.
'tracks-ab <command> --help' describes a command.`;
}

/** The message of a parseArgs error, without Node's "To specify a positional argument…" hints. */
function argumentProblem(error: unknown): string | null {
  const code = (error as { code?: string } | null)?.code;
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && code !== 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return null;
  }
  return (error as Error).message.split('. ')[0]!.replace(/\.$/, '');
}

/**
 * Runs `tracks-ab <argv>`: 0 on success, 1 when the operation failed (the message on stderr), 2 on
 * a usage error (the message and the command's usage on stderr).
 */
export async function main(argv: readonly string[], io: CliIo, open: DatabaseOpener = openDatabase): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(mainHelp());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const near = closestName(
      name,
      COMMANDS.map((c) => c.name),
    );
    io.stderr(`tracks-ab: '${name}' is not a tracks-ab command${near ? ` (did you mean '${near}'?)` : ''}. See 'tracks-ab --help'.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, { io, open });
  } catch (error) {
    const problem = error instanceof UsageError ? error.message : argumentProblem(error);
    if (problem !== null) {
      io.stderr(`tracks-ab ${command.name}: ${problem}\n\n${usageOf(command)}`);
      return 2;
    }
    if (error instanceof OperationError) {
      io.stderr(`tracks-ab ${command.name}: ${error.message}`);
      return 1;
    }
    io.stderr(`tracks-ab ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = { stdout: (text) => console.log(text), stderr: (text) => console.error(text), env: process.env };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
