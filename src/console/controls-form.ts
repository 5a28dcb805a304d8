// The runtime controls as buttons: one POST form per set (disable, enable, pin, coverage, reset), without JavaScript.
import { escapeHtml } from './escape.js';
import type { ConsoleSet } from './read.js';

/** What the forms need besides the set: where to post, the CSRF token, and whether the token field is needed. */
export interface FormContext {
  readonly action: string;
  readonly csrf: string;
  /** False when `allowWrite(req)` lets this person write: no token field. */
  readonly needsToken: boolean;
  /** False when nobody can write here (no token configured, `allowWrite` false): the buttons are not shown. */
  readonly canWrite: boolean;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

/**
 * The control buttons of one set: a form posting to the console's write path with the set's name,
 * the CSRF token, a note and (when needed) the write token. Each button names its action. Pin lists
 * the set's variants; coverage takes a percentage. Nothing here needs JavaScript.
 */
export function controlsForm(set: ConsoleSet, ctx: FormContext): string {
  if (!set.published) return '<p class="muted">No buttons: the app has not published this set (publishSets).</p>';
  if (!ctx.canWrite) return '<p class="muted">Read-only: this console has no write token and allowWrite says no.</p>';
  const s = set.status;
  const id = `c-${set.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const options = set.variants.map((v) => `<option value="${escapeHtml(v)}"${v === s.pinned ? ' selected' : ''}>${escapeHtml(v)}</option>`).join('');
  const token = ctx.needsToken ? `<label>Write token<input type="password" name="token" autocomplete="off" required></label>` : '';
  return `<form class="controls" method="post" action="${escapeHtml(ctx.action)}" data-set="${escapeHtml(set.name)}">
  ${hidden('set', set.name)}${hidden('csrf', ctx.csrf)}
  ${s.disabled ? '<button name="action" value="enable">Enable</button>' : '<button class="danger" name="action" value="disable">Disable (kill switch)</button>'}
  <label for="${id}-pin">Pin variant<select id="${id}-pin" name="variant">${options}</select></label>
  <button name="action" value="pin">Pin (roll out)</button>
  ${s.pinned !== null ? '<button name="action" value="unpin">Unpin</button>' : ''}
  <label for="${id}-cov">Coverage %<input id="${id}-cov" type="number" name="coverage" min="0" max="100" step="0.1" value="${Math.round(s.coverage * 1000) / 10}"></label>
  <button name="action" value="coverage">Set coverage</button>
  ${s.controlled ? '<button name="action" value="reset">Reset to code</button>' : ''}
  <label>Note<input type="text" name="note" maxlength="200" placeholder="why"></label>
  ${ctx.needsToken ? '<label>Your name<input type="text" name="by" maxlength="80" autocomplete="name"></label>' : ''}
  ${token}
</form>`;
}
