// The parts of the request contract that Express and Koa share: both sit on Node's ServerResponse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeWriteHead } from './before-write-head.js';
import type { HttpExchange } from '../src/index.js';

/** Reads a Node request and writes a Node response; subclasses say where the session and HTTPS flag are. */
export abstract class NodeExchange implements HttpExchange {
  // Declared, not class fields: with no field to define, a subclass's `new` (once a request) is
  // inlined where it is made; class fields cost about 450 instructions a request on Koa.
  declare protected readonly request: IncomingMessage;
  declare protected readonly response: ServerResponse;

  constructor(request: IncomingMessage, response: ServerResponse) {
    this.request = request;
    this.response = response;
  }

  abstract url(): string;
  abstract session(): unknown;
  abstract isSecure(): boolean;

  header(name: string): string | undefined {
    // Node's getter builds the headers object on the first read and returns it after.
    const value = this.request.headers[name];
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
