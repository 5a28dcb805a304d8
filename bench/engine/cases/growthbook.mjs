// GrowthBook's Node SDK: a GrowthBook instance per request, and one shared GrowthBookClient.
import { GrowthBook, GrowthBookClient } from '@growthbook/growthbook';

// An inline experiment, as `runInlineExperiment` / `run` take it: equal weights, hashed on `id`
// with the SDK's defaults (hashVersion 1 for inline experiments, seed = key).
/** @type {import("@growthbook/growthbook").Experiment<string>} */
const experiment = { key: 'exp', variations: ['control', 'a', 'b'] };

/**
 * @param {string} id `growthbook-per-request` or `growthbook-client`
 * @returns {import('../case.js').Case}
 */
export function create(id) {
  if (id === 'growthbook-per-request') {
    // GrowthBook's server-side guide: one instance per request, destroyed when the response ends.
    return {
      variants: experiment.variations,
      assign(key) {
        const gb = new GrowthBook({ attributes: { id: key } });
        const value = gb.run(experiment).value;
        gb.destroy();
        return value;
      },
    };
  }
  if (id === 'growthbook-client') {
    // The multi-user client (SDK >= 1.3): one instance, a user context per call.
    const client = new GrowthBookClient({});
    client.initSync({ payload: { features: {} } });
    return {
      variants: experiment.variations,
      assign: (key) => client.runInlineExperiment(experiment, { attributes: { id: key } }).value,
      close: () => client.destroy(),
    };
  }
  throw new Error(`unknown case ${id}`);
}
