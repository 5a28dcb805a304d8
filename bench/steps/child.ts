// Parent side of one app variant's process: starts worker.mjs, waits until it is warm, asks for rounds.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

type Message = { type: 'ready' } | { type: 'round'; micros: number } | { type: 'error'; message: string };

/** The child runs in plain `node`: tsx's loader (execArgv, NODE_OPTIONS) must not reach it. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** One variant of one framework in its own Node process, driven over IPC. */
export class VariantProcess {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #inbox: Message[] = [];
  #waiting: ((m: Message | Error) => void) | null = null;
  #exited = false;

  constructor(framework: string, variant: string, repoRoot: string, perRound: number) {
    this.name = `${framework} ${variant}`;
    this.#child = fork(path.join(__dirname, 'worker.mjs'), [framework, variant, repoRoot, String(perRound)], {
      execArgv: [],
      env: { ...childEnv(), NODE_ENV: 'production' },
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.#child.on('message', (m: Message) => this.#deliver(m));
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      this.#deliver(new Error(`${this.name}: process exited (${signal ?? code}) before answering`));
    });
  }

  #deliver(m: Message | Error): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(m);
    else if (!(m instanceof Error)) this.#inbox.push(m);
  }

  async #next<T extends Message['type']>(type: T): Promise<Extract<Message, { type: T }>> {
    const m =
      this.#inbox.shift() ??
      (this.#exited ? new Error(`${this.name}: process is gone`) : await new Promise<Message | Error>((resolve) => (this.#waiting = resolve)));
    if (m instanceof Error) throw m;
    if (m.type === 'error') throw new Error(m.message);
    if (m.type !== type) throw new Error(`${this.name}: unexpected ${m.type} message`);
    return m as Extract<Message, { type: T }>;
  }

  /** Resolves when the worker has built its app, checked a returning visitor and warmed up. */
  async ready(): Promise<void> {
    await this.#next('ready');
  }

  /** One round in the child: its CPU µs per request. */
  async round(): Promise<number> {
    this.#child.send('round');
    return (await this.#next('round')).micros;
  }

  /** Asks the child to exit; kills it if it has not gone within two seconds. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const gone = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (this.#child.connected) this.#child.send('exit');
    const timer = setTimeout(() => this.#child.kill(), 2000);
    await gone;
    clearTimeout(timer);
  }
}
