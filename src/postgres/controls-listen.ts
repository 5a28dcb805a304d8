// LISTEN for change notifications on whatever client the app gave: PGlite's listen, a pg Pool's own connection, or a pg Client.
import type { Queryable } from './queryable.js';

/** A live subscription; `close` stops it and gives its connection back. */
export interface Subscription {
  close(): Promise<void>;
}

interface Notification {
  channel: string;
  payload?: string;
}

/** The part of a pg Client (or a pool's connection) that LISTEN needs. */
interface NotifyingConnection extends Queryable {
  on(event: 'notification', listener: (message: Notification) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

interface PooledNotifyingConnection extends NotifyingConnection {
  release(error?: Error | boolean): void;
}

/** PGlite's `listen`: subscribes in-process and resolves to the function that unsubscribes. */
interface ListeningClient extends Queryable {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

interface Pool extends Queryable {
  connect(): Promise<PooledNotifyingConnection>;
  readonly totalCount: number;
}

const isListening = (c: Queryable): c is ListeningClient => typeof (c as Partial<ListeningClient>).listen === 'function';
const isPool = (c: Queryable): c is Pool => typeof (c as Partial<Pool>).connect === 'function' && typeof (c as Partial<Pool>).totalCount === 'number';
const isNotifying = (c: Queryable): c is NotifyingConnection =>
  typeof (c as Partial<NotifyingConnection>).on === 'function' && typeof (c as Partial<NotifyingConnection>).removeListener === 'function';

/** `"name"`: a channel name quoted as an SQL identifier (LISTEN takes no parameter). */
const quoted = (channel: string): string => `"${channel.replaceAll('"', '""')}"`;

async function onConnection(connection: NotifyingConnection, channel: string, notify: (payload: string) => void, lost: (error: unknown) => void) {
  const onNotification = (message: Notification): void => {
    if (message.channel === channel) notify(message.payload ?? '');
  };
  let ended = false;
  const onError = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    lost(error ?? new Error('the listening connection ended'));
  };
  connection.on('notification', onNotification);
  connection.on('error', onError);
  connection.on('end', onError);
  const detach = (): void => {
    ended = true;
    connection.removeListener('notification', onNotification);
    connection.removeListener('error', onError);
    connection.removeListener('end', onError);
  };
  try {
    await connection.query(`listen ${quoted(channel)}`);
  } catch (error) {
    detach();
    throw error;
  }
  return { detach, failed: () => ended };
}

/**
 * Subscribes `notify` to NOTIFYs on `channel`, the way the client allows: PGlite's `listen`; a pg
 * Pool lends one connection for good (given back, destroyed, on `close`); a pg Client listens on
 * itself. `lost` is called once if the connection fails later. Resolves to null when the client
 * cannot listen (it only has `query`): the caller then relies on polling.
 */
export async function listenFor(
  client: Queryable,
  channel: string,
  notify: (payload: string) => void,
  lost: (error: unknown) => void,
): Promise<Subscription | null> {
  if (isListening(client)) {
    const unlisten = await client.listen(channel, notify);
    return { close: () => unlisten().catch(() => undefined) };
  }
  if (isPool(client)) {
    const connection = await client.connect();
    let released = false;
    const release = (error?: Error | boolean): void => {
      if (released) return;
      released = true;
      // Destroyed, never returned to the pool: a connection still LISTENing would keep receiving.
      connection.release(error ?? true);
    };
    try {
      const { detach } = await onConnection(connection, channel, notify, (error) => {
        release(error instanceof Error ? error : true);
        lost(error);
      });
      return {
        close: async () => {
          detach();
          release(true);
          return Promise.resolve();
        },
      };
    } catch (error) {
      release(true);
      throw error;
    }
  }
  if (isNotifying(client)) {
    const { detach, failed } = await onConnection(client, channel, notify, lost);
    return {
      close: async () => {
        const live = !failed();
        detach();
        if (live) await client.query(`unlisten ${quoted(channel)}`).catch(() => undefined);
      },
    };
  }
  return null;
}
