// The HTTP suite's memory run: RSS of a tracks-ab Express server while 10,000 distinct visitors come back.
import type { SuiteOptions } from '../suite.js';
import { visitorHeaders, type Autocannon } from './measure.js';
import { rssMiB, startServer } from './processes.js';

/** RSS of a tracks-ab Express server while 10,000 distinct visitors are enrolled over and over. */
export async function memoryRun(options: SuiteOptions, autocannon: Autocannon): Promise<string[]> {
  const seconds = options.quick ? 5 : 60;
  const server = await startServer('express', 'tracks', options.repoRoot);
  try {
    const samples: number[] = [];
    const timer = setInterval(() => {
      const rss = rssMiB(server.process.pid!);
      if (rss !== null) samples.push(rss);
    }, 1000);
    let visitor = 0;
    await autocannon({
      url: `http://127.0.0.1:${server.port}/`,
      connections: 16,
      duration: seconds,
      requests: [
        {
          setupRequest: (request: { headers?: Record<string, string> }) => ({ ...request, headers: visitorHeaders(`visitor-${visitor++ % 10_000}`) }),
        },
      ],
    });
    clearInterval(timer);
    if (samples.length < 4) return ['memory: too few RSS samples (is /proc available?)'];
    const tenth = samples[Math.floor(samples.length / 10)]!;
    const half = samples[Math.floor(samples.length / 2)]!;
    const last = samples[samples.length - 1]!;
    return [
      `memory: tracks-ab Express server, ${seconds} s of 10,000 distinct visitors (${visitor} requests): RSS ${tenth.toFixed(0)} MiB at 10%, ${half.toFixed(0)} MiB at 50%, ${last.toFixed(0)} MiB at the end (second half growth ${(((last - half) / half) * 100).toFixed(1)}%)`,
    ];
  } finally {
    server.stop();
  }
}
