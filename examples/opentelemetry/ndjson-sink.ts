// An exposure sink in a few lines: each batch appended to a file, one JSON row a line (docs/exposures.md shows it).
import { appendFile } from 'node:fs/promises';
import type { ExposureSink } from 'tracks-ab';

/**
 * Appends rows to `file` as NDJSON. A file cannot refuse a duplicate: if an append fails half-way,
 * the retry appends the whole batch again, so deduplicate on load by `runId` (views) or by
 * (key, setName, variant) (first exposures).
 */
export function ndjsonSink(file: string): ExposureSink {
  return {
    write: (rows) => appendFile(file, rows.map((row) => `${JSON.stringify(row)}\n`).join('')),
  };
}
