// The console's "explain a user" page: a search form, and for a key each set's variant, reason and evidence from explainKey.
import { escapeHtml } from './escape.js';
import type { KeyExplanation, SetExplanation } from './explain.js';
import { consolePage, type HeaderLink } from './page.js';

/** The search form, on the experiments page and atop the explain page: a plain GET, no script. */
export function explainForm(action: string, key = ''): string {
  return `<form class="explain" method="get" action="${escapeHtml(action)}">
<label>Explain a user: <input name="key" value="${escapeHtml(key)}" placeholder="user id or anonymous id" maxlength="500" required></label>
<button type="submit">Explain</button>
</form>`;
}

function when(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

function setRow(s: SetExplanation): string {
  const e = s.evidence;
  const evidence = [
    e.stored ? `stored: ${e.stored.variant} since ${when(e.stored.assignedAt)} UTC (${e.stored.how})` : 'no stored record',
    e.firstExposure ? `first exposure: ${e.firstExposure.variant} at ${when(e.firstExposure.at)} UTC` : 'no logged exposure',
    e.control ? `control in force: ${JSON.stringify(e.control)}` : '',
    ...e.unknown.map((u) => `unknown from outside the app: ${u}`),
  ].filter(Boolean);
  const name = s.multi === null ? s.set : `${s.set} (in ${s.multi})`;
  return `<tr data-set="${escapeHtml(s.set)}" data-variant="${escapeHtml(s.variant ?? '')}" data-reason="${escapeHtml(s.reason)}">
<td>${escapeHtml(name)}</td><td>${escapeHtml(s.variant ?? '—')}</td><td>${escapeHtml(s.reason)}</td>
<td>${escapeHtml(s.words)}<br><span class="muted">${evidence.map(escapeHtml).join(' · ')}</span></td></tr>`;
}

/** The page: the form, then (for a key) its aliases and a row per set; `problem` when the key could not be explained. */
export function renderExplainPage(
  action: string,
  key: string | null,
  explained: KeyExplanation | null,
  problem: string | null,
  links: readonly HeaderLink[] = [],
): string {
  const parts = [explainForm(action, key ?? '')];
  if (problem !== null) parts.push(`<div class="warning" role="alert"><p>${escapeHtml(problem)}</p></div>`);
  if (explained !== null) {
    const aliases = [
      explained.aliasOf === null ? '' : `This anonymous id was aliased to the user ${explained.aliasOf}.`,
      explained.aliases.length === 0 ? '' : `Anonymous ids aliased to this user: ${explained.aliases.join(', ')}.`,
    ].filter(Boolean);
    parts.push(`<h2>Key “${escapeHtml(explained.key)}”</h2>`);
    if (aliases.length > 0) parts.push(`<p>${aliases.map(escapeHtml).join(' ')}</p>`);
    parts.push(`<div class="scroll"><table class="explained"><thead><tr><th>Set</th><th>Variant</th><th>Reason</th><th>Why, and the evidence</th></tr></thead><tbody>
${explained.sets.map(setRow).join('\n')}
</tbody></table></div>
<p class="muted">What the user's own cookie holds and whether they are eligible cannot be read from here: a remembered cookie or an ineligible user can change what the app serves.</p>`);
  }
  return consolePage('Explain a user', parts.join('\n'), links);
}
