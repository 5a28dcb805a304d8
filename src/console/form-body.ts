// Reads a console form's fields: from a body a framework already parsed, or from the request stream (urlencoded, bounded).
import type { IncomingMessage } from 'node:http';

/** Bodies above this are refused: a console form is a few short fields. */
export const MAX_FORM_BYTES = 8 * 1024;

/** A form too large, or not urlencoded. */
export class FormError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'FormError';
  }
}

function fromParams(params: URLSearchParams): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of params) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

/**
 * The form's fields, first value of each name. A body parser that ran before (Express's
 * `urlencoded`, Fastify's form parser, the Fastify mount's own) leaves `req.body`: an object of
 * strings, or the raw text. Otherwise the stream is read here, up to {@link MAX_FORM_BYTES}.
 */
export async function readForm(req: IncomingMessage): Promise<Map<string, string>> {
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof parsed === 'string') return fromParams(new URLSearchParams(parsed));
  if (typeof parsed === 'object' && parsed !== null && !Buffer.isBuffer(parsed)) {
    const fields = new Map<string, string>();
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value === 'string') fields.set(name, value);
      else if (Array.isArray(value) && typeof value[0] === 'string') fields.set(name, value[0]);
    }
    return fields;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError('expected a form (application/x-www-form-urlencoded)', 415);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormError(`the form is larger than ${MAX_FORM_BYTES} bytes`, 413);
    chunks.push(chunk);
  }
  return fromParams(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}
