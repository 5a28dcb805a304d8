// Loaded first in every benchmark child: refuses and counts any TCP or TLS connection attempt.
// A peer that tries to reach a server then fails its case instead of silently touching the network.
import net from 'node:net';

let attempts = 0;
const connect = net.Socket.prototype.connect;

// Every TCP client path (net.connect, http/https agents, tls.connect, fetch's undici) ends in
// Socket#connect; Unix-domain sockets (IPC with the parent) are let through.
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const path = Array.isArray(first) ? first[0]?.path : typeof first === 'object' && first !== null ? first.path : undefined;
  if (typeof path === 'string' || (typeof first === 'string' && Number.isNaN(Number(first)))) {
    return /** @type {(...a: unknown[]) => net.Socket} */ (connect).apply(this, args);
  }
  attempts++;
  throw new Error('the benchmark forbids network connections');
};

/** How many connections were attempted (and refused) in this process so far. */
export function networkAttempts() {
  return attempts;
}
