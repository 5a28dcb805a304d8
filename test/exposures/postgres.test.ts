// The exposure database suite, run on PGlite and on the PostgreSQL server at TRACKS_TEST_DATABASE_URL.
import { runExposureDatabaseSuite } from './database-suite.js';
import { runExposurePoisonSuite } from './poison-suite.js';
import { pgliteDatabase, serverDatabase } from './support/databases.js';

runExposureDatabaseSuite('PGlite', pgliteDatabase());
runExposureDatabaseSuite('the PostgreSQL server', serverDatabase());
runExposurePoisonSuite('PGlite', pgliteDatabase());
runExposurePoisonSuite('the PostgreSQL server', serverDatabase());
