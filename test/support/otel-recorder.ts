// A minimal real OpenTelemetry tracer provider and context manager, registered through @opentelemetry/api, that keeps finished spans.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context as contextApi,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';

/** What a finished span recorded. */
export interface RecordedSpan {
  name: string;
  events: Array<{ name: string; attributes: Attributes }>;
}

/** Active context through AsyncLocalStorage, as the Node SDK's context manager keeps it. */
class StorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]): unknown => this.with(context, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

class RecordingSpan implements Span {
  readonly #context: SpanContext = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  };
  readonly #record: RecordedSpan;
  readonly #finished: RecordedSpan[];
  #ended = false;
  constructor(name: string, finished: RecordedSpan[]) {
    this.#record = { name, events: [] };
    this.#finished = finished;
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(name: string, attributes?: unknown): this {
    if (!this.#ended) this.#record.events.push({ name, attributes: (attributes ?? {}) as Attributes });
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(name: string): this {
    this.#record.name = name;
    return this;
  }
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#finished.push(this.#record);
  }
  isRecording(): boolean {
    return !this.#ended;
  }
  recordException(): void {}
}

class RecordingTracer implements Tracer {
  constructor(private readonly finished: RecordedSpan[]) {}
  startSpan(name: string): Span {
    return new RecordingSpan(name, this.finished);
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const parent = rest.length === 3 ? (rest[1] as Context) : contextApi.active();
    const span = this.startSpan(name);
    return contextApi.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

/** Registers the recorder as the global tracer provider and context manager; `stop` unregisters both. */
export function startRecording(): { spans: RecordedSpan[]; stop(): void } {
  const spans: RecordedSpan[] = [];
  const provider: TracerProvider = { getTracer: () => new RecordingTracer(spans) };
  if (!contextApi.setGlobalContextManager(new StorageContextManager()) || !trace.setGlobalTracerProvider(provider)) {
    throw new Error('an OpenTelemetry provider is already registered');
  }
  return {
    spans,
    stop() {
      trace.disable();
      contextApi.disable();
    },
  };
}
