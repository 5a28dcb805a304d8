// unleash-client offline: a bootstrapped toggle with three variants sticky on userId, no server.
import { once } from 'node:events';
import { InMemStorageProvider, Unleash } from 'unleash-client';

const toggle = {
  name: 'exp',
  enabled: true,
  strategies: [{ name: 'default', parameters: {}, constraints: [] }],
  // Variant weights are per mille and must add up to 1000 (Unleash's own rule).
  variants: [
    { name: 'control', weight: 334, weightType: 'variable', stickiness: 'userId' },
    { name: 'a', weight: 333, weightType: 'variable', stickiness: 'userId' },
    { name: 'b', weight: 333, weightType: 'variable', stickiness: 'userId' },
  ],
};

/**
 * @param {string} id `unleash`
 * @returns {Promise<import('../case.js').Case>}
 */
export async function create(id) {
  if (id !== 'unleash') throw new Error(`unknown case ${id}`);
  const unleash = new Unleash({
    appName: 'tracks-ab-bench',
    // Never contacted: refreshInterval 0 turns polling off and disableMetrics stops metric posts
    // (the worker's network guard fails the case if any socket is opened anyway).
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    bootstrap: { data: [toggle] },
    storageProvider: new InMemStorageProvider(),
    skipInstanceCountWarning: true,
  });
  const failed = once(unleash, 'error').then(([error]) => Promise.reject(error));
  await Promise.race([once(unleash, 'ready'), failed]);
  return {
    variants: toggle.variants.map((v) => v.name),
    assign: (key) => unleash.getVariant('exp', { userId: key }).name,
    close: () => unleash.destroy(),
  };
}
