// The coconut store's header links: catalog, results, and log in or out for the current visitor.
import type { NavLink } from './layout.js';
import type { Visitor } from './visitor.js';

/**
 * The header links of every store page, with the visitor's log-in or log-out link last.
 * `withResults: false` leaves out the results page (the Koa and Fastify examples have it only when given the console).
 */
export function storeNav(visitor: Visitor, withResults = true): NavLink[] {
  return [
    { href: '/catalog', label: 'Catalog' },
    ...(withResults ? [{ href: '/results', label: 'Results' }] : []),
    visitor.id === null ? { href: '/login', label: 'Log in' } : { href: '/logout', label: `Log out (${visitor.id})` },
  ];
}
