// The console's options: the public Options type, and one parser that fills defaults and refuses mistakes at start-up.
import type { IncomingMessage } from 'node:http';
import type { MetricReport, ReportOptions } from '../analysis/index.js';
import { isProduction } from '../cookies/node-env.js';
import { checkKnownOptions, functionOption, invalidOption, numberOption, optionsObject } from '../engine/option-checks.js';
import type { AnySetClass } from '../engine/track-set.js';
import { schemaName } from '../postgres/migrations.js';
import type { Queryable } from '../postgres/queryable.js';
import type { ConversionQuery } from '../postgres/report-queries.js';
import type { HeaderLink } from './page.js';

/** A controls source the console refreshes after a write, so this process serves the change on its next request. */
export interface RefreshableControls {
  refresh(): Promise<unknown>;
}

/** Options of `tracksConsole`. */
export interface ConsoleOptions {
  /** The database holding the tracks-ab tables (a `pg` Pool or Client, or PGlite): any `query(text, params)`. */
  db: Queryable;
  /** The app's set classes (as given to `tracks([...])`): their weights, controls and multi sets. Catalogue sets are shown too. */
  sets?: readonly AnySetClass[];
  /** The app's conversions (user key, time) for the conversion report; without it, traffic and health only. */
  conversions?: ConversionQuery;
  /** Report options per set name (`control` for a set without one, `tuningUsers`, `minimumEffect`, `plannedUsers`…). */
  reportOptions?: Readonly<Record<string, ReportOptions>>;
  /** The results of the metrics a set declares, one `MetricReport` each (built by the metric queries and statistics). */
  metrics?: (setName: string) => readonly MetricReport[] | Promise<readonly MetricReport[]>;
  /** The app's controls source (`postgresControls`): refreshed after each write, so this process applies it at once. */
  controls?: RefreshableControls;
  /** Who may read the console. Default: everyone when NODE_ENV is not `production`, nobody in production. */
  allow?: (req: IncomingMessage) => boolean;
  /** Who may press the buttons without the token. Default: nobody (writes then need `token`). */
  allowWrite?: (req: IncomingMessage) => boolean;
  /** A secret a person types in the form (or sends as `Authorization: Bearer …`) to write; undefined: none (the default), as `process.env.X` gives it. */
  token?: string | undefined;
  /** Who is writing, for the record (the app's signed-in user). Default: the name typed in the form, else `console`. */
  who?: (req: IncomingMessage) => string | null | undefined;
  /** Where the console is mounted: `/console` (default); its pages and forms live under it. */
  basePath?: string;
  /** Schema of the tracks-ab tables (default `public`). */
  schema?: string;
  /** Told of a problem the page shows in words instead (a failing query, a throwing hook). Default: `console.error`. */
  onError?: (error: unknown) => void;
  /** Days of traffic shown (default 14). */
  trafficDays?: number;
  /** Links in the page's header (back to the app, its docs). Default: none. */
  links?: readonly HeaderLink[];
  /**
   * How old, in seconds, a set's results (counts, looks, traffic, metrics) may be before a view
   * reads them again (default 60; 0: on every view). Older ones are still shown while the new read
   * runs; `?fresh=1` waits for it. Views at the same time share one read either way. Controls and
   * changes are always read live.
   */
  resultsMaxAgeSeconds?: number;
}

/** The options with every default filled, frozen. */
export interface ConsoleConfig {
  readonly db: Queryable;
  readonly sets: readonly AnySetClass[];
  readonly conversions: ConversionQuery | null;
  readonly reportOptions: Readonly<Record<string, ReportOptions>>;
  readonly metrics: ((setName: string) => readonly MetricReport[] | Promise<readonly MetricReport[]>) | null;
  readonly controls: RefreshableControls | null;
  readonly allow: (req: IncomingMessage) => boolean;
  readonly allowWrite: (req: IncomingMessage) => boolean;
  readonly token: string | null;
  readonly who: ((req: IncomingMessage) => string | null | undefined) | null;
  readonly basePath: string;
  readonly schema: string;
  readonly onError: (error: unknown) => void;
  readonly trafficDays: number;
  readonly links: readonly HeaderLink[];
  readonly resultsMaxAgeSeconds: number;
}

const NAMES: { [K in keyof Required<ConsoleOptions>]: true } = {
  db: true,
  sets: true,
  conversions: true,
  reportOptions: true,
  metrics: true,
  controls: true,
  allow: true,
  allowWrite: true,
  token: true,
  who: true,
  basePath: true,
  schema: true,
  onError: true,
  trafficDays: true,
  links: true,
  resultsMaxAgeSeconds: true,
};

/**
 * Checks the console's options once, at start-up, with the library's one vocabulary of option
 * checks: unknown names, wrong types, a base path that is not `/name`, a token shorter than 16
 * characters. Throws a `TracksError` (`ERR_TRACKS_INVALID_OPTION`) naming the option.
 */
export function parseConsoleOptions(options: ConsoleOptions): ConsoleConfig {
  const o = optionsObject('options', options, 'expected an object with db');
  checkKnownOptions('', o, NAMES);
  const db = o.db as Queryable | undefined;
  if (typeof db?.query !== 'function') throw invalidOption('db', db, 'expected a client with query(text, params)');
  const sets = o.sets ?? [];
  if (!Array.isArray(sets)) throw invalidOption('sets', sets, 'expected an array of set classes');
  const basePath = o.basePath ?? '/console';
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    throw invalidOption('basePath', basePath, "expected a path such as '/console', without a trailing slash");
  }
  const token = o.token ?? null;
  if (token !== null && (typeof token !== 'string' || token.length < 16)) {
    throw invalidOption('token', typeof token === 'string' ? '…' : token, 'expected a string of 16 characters or more');
  }
  const conversions = (o.conversions as ConversionQuery | undefined) ?? null;
  if (conversions !== null && typeof conversions.sql !== 'string') throw invalidOption('conversions', conversions, 'expected { sql, params }');
  const reportOptions = optionsObject('reportOptions', o.reportOptions ?? {}, 'expected an object by set name');
  const controls = (o.controls as RefreshableControls | undefined) ?? null;
  if (controls !== null && typeof controls.refresh !== 'function') throw invalidOption('controls', controls, 'expected a source with refresh()');
  const trafficDays = numberOption('trafficDays', o.trafficDays, 14, { min: 1, max: 366, integer: true });
  const resultsMaxAgeSeconds = numberOption('resultsMaxAgeSeconds', o.resultsMaxAgeSeconds, 60, { min: 0, max: 86_400 });
  const links = o.links ?? [];
  if (!Array.isArray(links) || links.some((l: Partial<HeaderLink> | null) => typeof l?.href !== 'string' || typeof l.label !== 'string')) {
    throw invalidOption('links', links, 'expected an array of { href, label }');
  }
  const production = isProduction();
  return Object.freeze({
    db,
    sets: Object.freeze([...(sets as AnySetClass[])]),
    conversions,
    reportOptions: reportOptions as Readonly<Record<string, ReportOptions>>,
    metrics: functionOption<NonNullable<ConsoleConfig['metrics']>>('metrics', o.metrics) ?? null,
    controls,
    allow: functionOption<ConsoleConfig['allow']>('allow', o.allow) ?? (() => !production),
    allowWrite: functionOption<ConsoleConfig['allowWrite']>('allowWrite', o.allowWrite) ?? (() => false),
    token,
    who: functionOption<NonNullable<ConsoleConfig['who']>>('who', o.who) ?? null,
    basePath,
    schema: schemaName(o.schema as string | undefined),
    onError: functionOption<ConsoleConfig['onError']>('onError', o.onError) ?? ((error: unknown) => console.error('tracks-ab console:', error)),
    trafficDays,
    links: Object.freeze([...(links as HeaderLink[])]),
    resultsMaxAgeSeconds,
  });
}
