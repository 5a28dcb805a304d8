// The Fetch wrapper and the Hono middleware: the adapter contract over real HTTP, served through node:http.
import { runAdapterContract } from './contract.js';
import { fetchApp, honoApp } from './fetch-app.js';

runAdapterContract('fetch (withTracks)', fetchApp);
runAdapterContract('hono', honoApp);
