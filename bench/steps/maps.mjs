// Why an own property added to Express's req or res costs so much: V8 gives each such object a map of its own.
// Usage: node --allow-natives-syntax bench/steps/maps.mjs   (after npm run build). Prints whether two objects share a map.
import { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './apps.mjs';
import { drive, returningVisitor } from './requests.mjs';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const fast = new Function('a', 'return %HasFastProperties(a)');

// Two requests made alike: the same properties added in the same order, with and without a prototype set first.
const pair = (setPrototype) =>
  [0, 1].map(() => {
    const req = /** @type {IncomingMessage & { tracks?: object }} */ (new IncomingMessage(/** @type {any} */ (null)));
    if (setPrototype) Object.setPrototypeOf(req, Object.create(IncomingMessage.prototype));
    req.tracks = {};
    return req;
  });
const [a, b] = pair(false);
const [c, d] = pair(true);
console.log(`IncomingMessage + one property: one map for both: ${sameMap(a, b)}`);
console.log(`IncomingMessage, prototype set (Object.setPrototypeOf, as Express does), + one property: one map for both: ${sameMap(c, d)}`);

// Two requests of the steps suite's Express app, after Express handled them.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repoRoot, 'package.json'));
for (const variant of ['bare', 'tracks-3']) {
  const { handle } = await buildApp('express', variant, repoRoot, require);
  const next = await returningVisitor('express', repoRoot, require);
  const kept = [];
  await drive((req, res) => (handle(req, res), kept.push({ req, res })), next, 2);
  const [x, y] = kept;
  const own = (o) => Object.getOwnPropertyNames(o).length;
  console.log(
    `Express ${variant}: req one map for both: ${sameMap(x.req, y.req)} (fast properties: ${fast(x.req)}, ${own(x.req)} own), ` +
      `res one map for both: ${sameMap(x.res, y.res)} (${own(x.res)} own), own req.tracks: ${Object.hasOwn(x.req, 'tracks')}, own res.writeHead: ${Object.hasOwn(x.res, 'writeHead')}`,
  );
}
