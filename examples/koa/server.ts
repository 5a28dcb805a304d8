// Runs the Koa example: `npx tsx examples/koa/server.ts` (PORT, default 3001).
import { createKoaApp } from './app.js';

const port = Number(process.env.PORT ?? 3001);
createKoaApp({ onExposure: (e) => console.log(`exposure: ${e.key} saw ${e.setName}:${e.variant} (${e.reason})`) }).listen(port, 'localhost', () => {
  console.log(`Koa coconut store: http://localhost:${port}/catalog`);
});
