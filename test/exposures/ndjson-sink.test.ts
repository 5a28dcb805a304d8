// The sink docs/exposures.md shows (NDJSON to a file) is the example's, and works as the exposure log's sink.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ndjsonSink } from '../../examples/opentelemetry/ndjson-sink.js';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import type { ExposureRow } from '../../src/exposures/exposure-rows.js';
import { COLOR, SIZE, readAsUsers, startApp } from '../support/exposure-app.js';

const root = path.resolve(__dirname, '../..');

describe('a sink in a few lines', () => {
  it('is shown in docs/exposures.md exactly as examples/opentelemetry/ndjson-sink.ts has it', () => {
    const docs = fs.readFileSync(path.join(root, 'docs/exposures.md'), 'utf8');
    const block = /^```ts title=ndjson-sink\.ts\n([\s\S]*?)^```$/m.exec(docs);
    expect(block, 'a ```ts title=ndjson-sink.ts block').to.not.equal(null);
    expect(block![1]).to.equal(fs.readFileSync(path.join(root, 'examples/opentelemetry/ndjson-sink.ts'), 'utf8'));
  });

  it('writes the exposures of real requests to an NDJSON file, one row a line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndjson-sink-'));
    try {
      const file = path.join(dir, 'exposures.ndjson');
      const log = exposureLog({ sink: ndjsonSink(file), pageViews: true, maxBatch: 7 });
      const app = await startApp([COLOR, SIZE], log);
      try {
        await readAsUsers(app.url, ['ann', 'bob', 'ann', 'cid'], 2);
      } finally {
        await app.close();
      }
      await log.close();
      const rows = fs
        .readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as ExposureRow);
      expect(rows.filter((r) => r.kind === 'view')).to.have.length(8);
      expect(
        rows
          .filter((r) => r.kind === 'first')
          .map((r) => `${r.key}:${r.setName}`)
          .sort(),
      ).to.deep.equal(['ann:color', 'ann:size', 'bob:color', 'bob:size', 'cid:color', 'cid:size']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
