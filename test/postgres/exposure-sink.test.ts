// The exposure database suite, run on PGlite and on the PostgreSQL server the root hook starts.
import { runExposurePoisonSuite } from './exposure-poison-suite.js';
import { runExposureDatabaseSuite } from './exposure-sink-suite.js';

runExposureDatabaseSuite();
runExposurePoisonSuite();
