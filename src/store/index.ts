// tracks-ab/postgres: the PostgreSQL layer (PGlite or a server): migrations and the exposure sink.
export { migrate, MIGRATIONS } from './migrations.js';
export type { Migration, MigrateOptions, MigrateResult } from './migrations.js';
export type { Queryable } from './queryable.js';
export { exposureSink } from './exposure-sink.js';
export type { ExposureSinkOptions } from './exposure-sink.js';
