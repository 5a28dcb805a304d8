// The options every adapter takes, and the one parser that fills defaults and rejects mistakes.
import { checkKnownOptions, invalidOption as invalid, isPlainObject } from '../engine/option-checks.js';
import { isbot } from 'isbot';
import type { ControlsSource } from '../controls/controls.js';
import type { ExposureEvent, RequestErrorInfo } from './events.js';
import { parseSecrets } from '../cookies/secret-policy.js';
import { isProduction } from '../cookies/node-env.js';
import type { StoreClient } from '../assignment-store/store-client.js';
import { parseStoreOption, type StoreOption } from './parse-store-option.js';

/** Where the user's key comes from; several sources are tried in order. */
export type KeySource<Req> =
  | { cookie: string }
  | { header: string }
  /** A property of the session, or a dotted path into it (`'user.id'`). */
  | { session: string }
  | ((req: Req) => unknown);

/** The sticky cookie and the anonymous-id cookie. */
export interface CookieOptions {
  /** Name of the cookie remembering assignments (default `tracks`). */
  name?: string;
  /** Name of the cookie holding an anonymous visitor's random id (default `tracks_id`). */
  anonymousName?: string;
  /**
   * One secret or several (sign with the first, accept all). Without one the cookies are unsigned,
   * and with NODE_ENV=production the middleware refuses to start unless `editableByVisitors` is true.
   * `undefined` means none, so `secret: process.env.TRACKS_SECRET` compiles under
   * `exactOptionalPropertyTypes` (and, unset in production, refuses to start).
   */
  secret?: string | readonly string[] | undefined;
  /**
   * `true` says, on purpose, that the cookies are unsigned, so visitors can edit them and choose
   * their own variant: it lets the middleware start without a secret when NODE_ENV is production.
   * Refused together with a secret.
   */
  editableByVisitors?: boolean;
  /** Lifetime in seconds (default one year, at most 400 days). */
  maxAge?: number;
  /** The cookies' Domain attribute; `undefined` (default): none, the host alone. */
  domain?: string | undefined;
  /** Default `/`. */
  path?: string;
  /** Default `lax`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** `'auto'` (default): Secure when the request came over HTTPS. */
  secure?: boolean | 'auto';
  /** Default true. */
  httpOnly?: boolean;
}

/** The QA override: `?tracks=delay:long,pricing:cheap` forces variants where `allow(req)` is true. */
export interface OverrideOptions<Req> {
  /** Query parameter name (default `tracks`). */
  param?: string;
  /** Whether this request may force variants. Default: only when NODE_ENV is not `production`. */
  allow?: (req: Req) => boolean;
}

/** Bot detection: which detector, and which requests it applies to. */
export interface BotOptions {
  /** `true` (default): the `isbot` list; a function of the User-Agent replaces it; `false`: no detection. */
  detect?: boolean | ((userAgent: string) => boolean);
  /**
   * `'anonymous'` (default): only requests with no key from a configured source are checked (a
   * user is a user whatever their HTTP client); `'all'`: every request, for apps whose key
   * function also answers for crawlers (an IP address, a device id).
   */
  scope?: 'anonymous' | 'all';
}

/** Options of `tracks(sets, options)` in every adapter. */
export interface Options<Req> {
  /** Key sources, tried in order; with none or no value, an anonymous id cookie is used. */
  key?: KeySource<Req> | readonly KeySource<Req>[];
  /** Builds the `context` that the sets' `isEligible` read. */
  context?: (req: Req) => unknown;
  cookie?: CookieOptions;
  /** QA override settings, or `false` to turn it off everywhere. */
  override?: OverrideOptions<Req> | false;
  /** Called once per set per request for each exposure (never for forced, pinned, ineligible…). */
  onExposure?: (event: ExposureEvent<Req>) => void | Promise<void>;
  /**
   * Called when user code (key, context, isEligible, onExposure, allow, a bot detector) throws or
   * returns a promise where a value is expected (`ERR_TRACKS_ASYNC_HOOK`). Default: console.error.
   * It may return a promise: a rejection (or a throw) is swallowed.
   */
  onError?: (error: unknown, info: RequestErrorInfo<Req>) => unknown;
  /**
   * Bot policy: `true` (default) detects crawlers with `isbot` among anonymous requests (a request
   * without a User-Agent is a bot); a function replaces the detector; `false` turns it off;
   * `{ detect, scope }` also says which requests are checked.
   */
  bots?: boolean | ((userAgent: string) => boolean) | BotOptions;
  /** `'private'` (default): responses that read a variant get `Cache-Control: private`; `'off'`: untouched. */
  cache?: 'private' | 'off';
  /** Run-time controls (kill switch, pin, coverage) read per request from memory: `new MemoryControls()`, `postgresControls(client)`. */
  controls?: ControlsSource;
  /**
   * Where users' assignments are remembered on the server (a `StoreClient`, or a bare store such
   * as `MemoryAssignmentStore` or `postgresAssignmentStore(pool)`, wrapped in a default client).
   * For a user (a key from a source), the remembered assignments are loaded once before the
   * handler, and counted after the cookie bound to them; anonymous visitors never reach it.
   */
  store?: StoreOption;
}

/** The frozen, validated configuration. */
export interface Config<Req> {
  readonly keys: readonly KeySource<Req>[];
  readonly context: ((req: Req) => unknown) | null;
  readonly cookie: Readonly<Required<Omit<CookieOptions, 'secret' | 'domain' | 'editableByVisitors'>>> & {
    readonly domain: string | undefined;
    readonly secrets: readonly string[];
  };
  readonly override: { readonly param: string; readonly allow: (req: Req) => boolean } | null;
  readonly onExposure: ((event: ExposureEvent<Req>) => void | Promise<void>) | null;
  readonly onError: (error: unknown, info: RequestErrorInfo<Req>) => unknown;
  readonly bots: { readonly detect: ((userAgent: string) => boolean) | null; readonly scope: 'anonymous' | 'all' };
  readonly cache: 'private' | 'off';
  readonly controls: ControlsSource | null;
  readonly store: StoreClient | null;
}

const OPTION_NAMES: { [K in keyof Required<Options<unknown>>]: true } = {
  key: true,
  context: true,
  cookie: true,
  override: true,
  onExposure: true,
  onError: true,
  bots: true,
  cache: true,
  controls: true,
  store: true,
};
const COOKIE_NAMES: { [K in keyof Required<CookieOptions>]: true } = {
  name: true,
  anonymousName: true,
  secret: true,
  editableByVisitors: true,
  maxAge: true,
  domain: true,
  path: true,
  sameSite: true,
  secure: true,
  httpOnly: true,
};
const OVERRIDE_NAMES: { [K in keyof Required<OverrideOptions<unknown>>]: true } = { param: true, allow: true };
const BOT_NAMES: { [K in keyof Required<BotOptions>]: true } = { detect: true, scope: true };

// RFC 6265 token: the characters a cookie name may use.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265bis, "The Max-Age Attribute": the user agent limits Max-Age to at most 400 days (34560000 s);
// a value above that is most often milliseconds given for seconds.
const MAX_AGE_LIMIT = 400 * 24 * 3600;

function parseKeySource<Req>(source: unknown, at: string): KeySource<Req> {
  if (typeof source === 'function') return source as (req: Req) => unknown;
  if (isPlainObject(source)) {
    const names = Object.keys(source);
    const kind = names[0];
    if (names.length === 1 && (kind === 'cookie' || kind === 'header' || kind === 'session')) {
      const name = source[kind];
      if (typeof name !== 'string' || name === '') throw invalid(`${at}.${kind}`, name, 'expected a non-empty string');
      if (kind === 'header') return { header: name.toLowerCase() };
      return kind === 'cookie' ? { cookie: name } : { session: name };
    }
  }
  throw invalid(at, source, 'expected { cookie: name }, { header: name }, { session: path } or a function of the request');
}

function parseCookie(value: unknown): Config<unknown>['cookie'] {
  const c = value ?? {};
  if (!isPlainObject(c)) throw invalid('cookie', value, 'expected an object');
  checkKnownOptions('cookie', c, COOKIE_NAMES);
  const name = c.name ?? 'tracks';
  const anonymousName = c.anonymousName ?? 'tracks_id';
  if (typeof name !== 'string' || !TOKEN.test(name)) throw invalid('cookie.name', name, 'expected a cookie name (RFC 6265 token)');
  if (typeof anonymousName !== 'string' || !TOKEN.test(anonymousName)) {
    throw invalid('cookie.anonymousName', anonymousName, 'expected a cookie name (RFC 6265 token)');
  }
  if (name === anonymousName) throw invalid('cookie.anonymousName', anonymousName, 'must differ from cookie.name');
  const secrets = parseSecrets(c.secret, c.editableByVisitors);
  const maxAge = c.maxAge ?? 365 * 24 * 3600;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge <= 0)
    throw invalid('cookie.maxAge', maxAge, 'expected a positive whole number of seconds');
  if (maxAge > MAX_AGE_LIMIT) {
    throw invalid(
      'cookie.maxAge',
      maxAge,
      `at most ${MAX_AGE_LIMIT} seconds: RFC 6265bis caps Max-Age at 400 days; it is in seconds, not milliseconds`,
    );
  }
  const path = c.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/') || /[;\s]/.test(path))
    throw invalid('cookie.path', path, "expected a path starting with '/'");
  if (c.domain !== undefined && (typeof c.domain !== 'string' || !/^\.?[a-z0-9.-]+$/i.test(c.domain))) throw invalid('cookie.domain', c.domain);
  const sameSite = c.sameSite ?? 'lax';
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none')
    throw invalid('cookie.sameSite', sameSite, "expected 'lax', 'strict' or 'none'");
  const secure = c.secure ?? 'auto';
  if (secure !== true && secure !== false && secure !== 'auto') throw invalid('cookie.secure', secure, "expected true, false or 'auto'");
  if (sameSite === 'none' && secure === false) throw invalid('cookie.secure', secure, "sameSite 'none' needs Secure cookies");
  const httpOnly = c.httpOnly ?? true;
  if (typeof httpOnly !== 'boolean') throw invalid('cookie.httpOnly', httpOnly);
  return Object.freeze({
    name,
    anonymousName,
    secrets,
    maxAge,
    domain: c.domain,
    path,
    sameSite,
    secure,
    httpOnly,
  });
}

function parseOverride<Req>(value: unknown): Config<Req>['override'] {
  if (value === false) return null;
  const o = value ?? {};
  if (!isPlainObject(o)) throw invalid('override', value, 'expected { param, allow } or false');
  checkKnownOptions('override', o, OVERRIDE_NAMES);
  const param = o.param ?? 'tracks';
  if (typeof param !== 'string' || param === '') throw invalid('override.param', param, 'expected a non-empty string');
  if (o.allow !== undefined && typeof o.allow !== 'function') throw invalid('override.allow', o.allow, 'expected a function of the request');
  // Read once at start-up: the default never lets production visitors force a variant.
  const production = isProduction();
  const allow = (o.allow as ((req: Req) => boolean) | undefined) ?? (() => !production);
  return Object.freeze({ param, allow });
}

function parseBots(value: unknown): Config<unknown>['bots'] {
  const b = value === undefined || typeof value === 'boolean' || typeof value === 'function' ? { detect: value } : value;
  if (!isPlainObject(b)) throw invalid('bots', value, 'expected true, false, a function of the User-Agent or { detect, scope }');
  checkKnownOptions('bots', b, BOT_NAMES);
  const detect = b.detect ?? true;
  if (typeof detect !== 'boolean' && typeof detect !== 'function') {
    throw invalid(value === b ? 'bots.detect' : 'bots', detect, 'expected true, false or a function of the User-Agent');
  }
  const scope = b.scope ?? 'anonymous';
  if (scope !== 'anonymous' && scope !== 'all') throw invalid('bots.scope', scope, "expected 'anonymous' or 'all'");
  return Object.freeze({ detect: detect === true ? isbot : detect === false ? null : (detect as (ua: string) => boolean), scope });
}

function defaultOnError(error: unknown, info: RequestErrorInfo<unknown>): void {
  if (info.where === 'store') console.error(`tracks-ab: store ${info.store.operation} failed; requests went on with cookie and hash:`, error);
  else console.error(`tracks-ab: ${info.where}${info.setName ? ` of set "${info.setName}"` : ''} failed; the request went on with control:`, error);
}

/** Validates options once at start-up, fills defaults and returns a frozen config. */
export function parseOptions<Req>(options: Options<Req> | undefined): Config<Req> {
  const o: unknown = options ?? {};
  if (!isPlainObject(o)) throw invalid('options', options, 'expected an object');
  checkKnownOptions('', o, OPTION_NAMES);
  const rawKeys = o.key === undefined ? [] : Array.isArray(o.key) ? o.key : [o.key];
  const keys = rawKeys.map((source, i) => parseKeySource<Req>(source, Array.isArray(o.key) ? `key[${i}]` : 'key'));
  for (const name of ['context', 'onExposure', 'onError'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw invalid(name, o[name], 'expected a function');
  }
  const cache = o.cache ?? 'private';
  if (cache !== 'private' && cache !== 'off') throw invalid('cache', cache, "expected 'private' or 'off'");
  const controls = o.controls ?? null;
  if (controls !== null && (typeof controls !== 'object' || typeof (controls as Partial<ControlsSource>).get !== 'function')) {
    throw invalid('controls', controls, 'expected a controls source with get(setName): new MemoryControls(), postgresControls(client)');
  }
  return Object.freeze({
    keys: Object.freeze(keys),
    context: (o.context as Config<Req>['context']) ?? null,
    cookie: parseCookie(o.cookie),
    override: parseOverride<Req>(o.override),
    onExposure: (o.onExposure as Config<Req>['onExposure']) ?? null,
    onError: (o.onError as Config<Req>['onError']) ?? defaultOnError,
    bots: parseBots(o.bots),
    cache,
    controls: controls as ControlsSource | null,
    store: parseStoreOption<Req>(o.store, o.onError as Config<Req>['onError'] | undefined),
  });
}
