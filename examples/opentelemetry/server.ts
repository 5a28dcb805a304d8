// Runs the OpenTelemetry example: `npx tsx examples/opentelemetry/server.ts` (PORT, default 3003; rows to EXPOSURES_FILE).
import { exposureLog } from 'tracks-ab';
import { createTracedApp } from './app.js';
import { ndjsonSink } from './ndjson-sink.js';

// Spans are recorded once an OpenTelemetry SDK is registered before this runs (for example with
// `node --require @opentelemetry/auto-instrumentations-node/register`); without one, only the file is written.
const file = process.env.EXPOSURES_FILE ?? 'exposures.ndjson';
const log = exposureLog({ sink: ndjsonSink(file) });
const port = Number(process.env.PORT ?? 3003);
const server = createTracedApp({ log }).listen(port, 'localhost', () => {
  console.log(`Traced coconut catalog: http://localhost:${port}/catalog (exposures also in ${file})`);
});

// Stop taking requests, let those in flight finish (5 s at most), then write every queued exposure.
const stop = (signal: string): void => {
  server.close(() => {
    void log.close().then((stats) => {
      console.log(`${signal}: ${stats.written} exposure rows written, ${stats.dropped} dropped`);
      process.exit(0);
    });
  });
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 5000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
