// The commands of `tracks-ab`, in the order `--help` lists them: adding one is a file and a line here.
import type { Command } from './command.js';
import { consoleCommand } from './console.js';
import { controlsCommand } from './controls.js';
import { diffCommand } from './diff.js';
import { explainCommand } from './explain.js';
import { migrateCommand } from './migrate.js';
import { reportCommand } from './report.js';

/** Every command of the tracks-ab command line. */
export const COMMANDS: readonly Command[] = [migrateCommand, controlsCommand, reportCommand, explainCommand, diffCommand, consoleCommand];
