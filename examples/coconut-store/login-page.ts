// Renders the coconut store's demo /login form, which says who the VIPs are.
import { escapeHtml, layout } from './layout.js';
import { storeNav } from './store-nav.js';
import { VIP_USERS, type Visitor } from './visitor.js';

/**
 * The login form (a GET to `/login?user=…`, no password: a demo). `error` is shown above it, for
 * a name the form refused.
 */
export function renderLogin(visitor: Visitor, error: string | null = null): string {
  const vips = VIP_USERS.map((name) => `<a href="/login?user=${encodeURIComponent(name)}">${escapeHtml(name)}</a>`).join(' or ');
  const body = `${error ? `<p class="warning" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="get" action="/login">
  <label>User name <input name="user" required pattern="[A-Za-z0-9_-]{1,32}" autofocus></label>
  <button type="submit">Log in</button>
</form>
<p class="muted">No password: this is a demo. Letters, digits, <code>-</code> and <code>_</code>, up to 32.
Log in as ${vips} to be a VIP: VIPs are kept out of every test and always see the regular prices.
Your variant follows you when you log in: the store remembers it in a cookie.</p>`;
  return layout('Log in', body, storeNav(visitor));
}
