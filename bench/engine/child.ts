// Parent side of one case's process: starts worker.mjs, waits for its checks, asks for rounds.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseSpec } from './cases.js';

/** What a worker reports once its case is built, checked and warmed up. */
export interface ReadyReport {
  readonly counts: readonly { variant: string; count: number }[];
  readonly mismatches: number;
  readonly network: number;
}

type Message = ({ type: 'ready' } & ReadyReport) | { type: 'round'; ns: number; network: number } | { type: 'error'; message: string };

/**
 * The environment of a child: the parent runs under tsx, whose loader must not be inherited
 * (hence an empty execArgv and no NODE_OPTIONS), so each case runs in a plain `node`.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** One case running in its own Node process, driven over the IPC channel. */
export class CaseProcess {
  readonly spec: CaseSpec;
  readonly #child: ChildProcess;
  /** Messages that arrived before anyone asked for them (the ready report usually does). */
  readonly #inbox: Message[] = [];
  #waiting: { resolve: (m: Message) => void; reject: (e: Error) => void } | null = null;
  #exited = false;

  constructor(spec: CaseSpec, keys: number) {
    this.spec = spec;
    const here = __dirname;
    const moduleUrl = pathToFileURL(path.join(here, 'cases', spec.module)).href;
    const args = [moduleUrl, spec.create ?? spec.id, String(keys), spec.prebuiltKeys ? 'prebuilt' : 'built'];
    this.#child = fork(path.join(here, 'worker.mjs'), args, {
      execArgv: [],
      env: childEnv(),
      // The child's stdout goes to our stderr: stdout is kept for the report.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.#child.on('message', (m: Message) => {
      if (this.#waiting) this.#settle((w) => w.resolve(m));
      else this.#inbox.push(m);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      this.#settle((w) => w.reject(new Error(`${spec.id}: process exited (${signal ?? code}) before answering`)));
    });
  }

  #settle(action: (w: { resolve: (m: Message) => void; reject: (e: Error) => void }) => void): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) action(waiting);
  }

  #next(): Promise<Message> {
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#exited) return Promise.reject(new Error(`${this.spec.id}: process is gone`));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Resolves when the worker has built, checked and warmed up its case. */
  async ready(): Promise<ReadyReport> {
    const m = await this.#next();
    if (m.type === 'error') throw new Error(`${this.spec.id}: ${m.message}`);
    if (m.type !== 'ready') throw new Error(`${this.spec.id}: unexpected ${m.type} message`);
    return m;
  }

  /** Times one round in the child; returns nanoseconds and the child's network attempt count. */
  async round(): Promise<{ ns: number; network: number }> {
    const answer = this.#next();
    this.#child.send({ type: 'round' });
    const m = await answer;
    if (m.type === 'error') throw new Error(`${this.spec.id}: ${m.message}`);
    if (m.type !== 'round') throw new Error(`${this.spec.id}: unexpected ${m.type} message`);
    return m;
  }

  /** Asks the child to close its case and exit; kills it if it has not gone within two seconds. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const gone = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (this.#child.connected) this.#child.send({ type: 'exit' });
    const timer = setTimeout(() => this.#child.kill(), 2000);
    await gone;
    clearTimeout(timer);
  }
}
