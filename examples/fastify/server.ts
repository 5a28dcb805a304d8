// Runs the Fastify example: `npx tsx examples/fastify/server.ts` (PORT, default 3002).
import { createFastifyApp } from './app.js';

const port = Number(process.env.PORT ?? 3002);
createFastifyApp({ onExposure: (e) => console.log(`exposure: ${e.key} saw ${e.setName}:${e.variant} (${e.reason})`) })
  .listen({ port, host: 'localhost' })
  .then(() => console.log(`Fastify coconut store: http://localhost:${port}/catalog`))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
