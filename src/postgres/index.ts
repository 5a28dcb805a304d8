// tracks-ab/postgres: the PostgreSQL layer (PGlite in-process or a server), on any client with query(text, params).
export { postgresAssignmentStore } from './postgres-assignment-store.js';
export type { PostgresStoreOptions } from './postgres-assignment-store.js';
export { migrate, MIGRATIONS, schemaName } from './migrations.js';
export type { Migration, MigrateOptions, MigrateResult } from './migrations.js';
export { inTransaction } from './transaction.js';
export type { ConnectionPool, PooledConnection, TransactionalClient } from './transaction.js';
export type { Queryable } from './queryable.js';
export { exposureSink } from './exposure-sink.js';
export type { ExposureSinkOptions } from './exposure-sink.js';
export { postgresControls, PostgresControls, DEFAULT_POLL_INTERVAL_MS } from './controls-source.js';
export type { PostgresControlsOptions, PostgresControlsStats, ControlsFailure } from './controls-source.js';
export { publishSets, readCatalogue } from './controls-catalogue.js';
export type { CatalogueSet, ControlsStoreOptions } from './controls-catalogue.js';
export { changeControl, removeControl, readControls, listControls } from './controls-write.js';
export type { ControlChange, ControlWriteOptions, ControlRecord, ControlListing } from './controls-write.js';
export { reportCounts, reportCountsAndTimeline, reportTimeline } from './report-queries.js';
export type {
  ConversionQuery,
  CountedSet,
  ReportCountsAndTimeline,
  ReportCountsRow,
  ReportQueryOptions,
  ReportTimelineOptions,
  ReportTimelineRow,
} from './report-queries.js';
export { readControlChanges } from './control-changes.js';
export type { ControlChangeRecord, ControlChangesOptions } from './control-changes.js';
export { readTraffic } from './traffic-queries.js';
export type { Traffic, TrafficDayRow, TrafficOptions } from './traffic-queries.js';
export { metricSums, metricSumsQuery } from './metric-queries.js';
export type { MetricQueryOptions, MetricSums, MetricSumsRow } from './metric-queries.js';
export { metricInput } from './metric-input.js';
export type { MetricInput, MetricInputOptions, MetricSet } from './metric-input.js';
