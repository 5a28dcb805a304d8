// The parts of the request contract that Express and Koa share: both sit on Node's ServerResponse.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { beforeWriteHead } from './before-write-head.js';
import type { HttpExchange } from '../src/index.js';

/** Reads a Node request and writes a Node response; subclasses say where the session and HTTPS flag are. */
export abstract class NodeExchange implements HttpExchange {
  /** The request's headers object, read once (a getter on Node's request). */
  #headers: IncomingHttpHeaders | undefined = undefined;

  constructor(
    protected readonly request: IncomingMessage,
    protected readonly response: ServerResponse,
  ) {}

  abstract url(): string;
  abstract session(): unknown;
  abstract isSecure(): boolean;

  header(name: string): string | undefined {
    const value = (this.#headers ??= this.request.headers)[name];
    return Array.isArray(value) ? value[0] : value;
  }

  headersSent(): boolean {
    return this.response.headersSent;
  }

  beforeHeaders(write: () => void): boolean {
    if (this.response.headersSent) return false;
    // The listener runs inside writeHead, the last moment headers can change.
    beforeWriteHead(this.response, write);
    return true;
  }

  getResponseHeader(name: string): string | string[] | number | undefined {
    return this.response.getHeader(name);
  }

  setResponseHeader(name: string, value: string): void {
    this.response.setHeader(name, value);
  }

  appendSetCookie(cookie: string): void {
    const current = this.response.getHeader('set-cookie');
    const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
    this.response.setHeader('set-cookie', [...list, cookie]);
  }
}
