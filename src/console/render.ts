// The console's experiments page: an overview of every set, then per set its status, buttons, traffic, health, conversions and metrics.
import { formatCount } from '../analysis/index.js';
import { renderTrafficChart } from './charts/traffic.js';
import { conversionSection, armsTable } from './conversion-section.js';
import { controlsForm, type FormContext } from './controls-form.js';
import { escapeHtml } from './escape.js';
import { mixedLine, powerLine, scheduleLine, splitLine, SRM_WARNING } from './health.js';
import { metricSection } from './metric-section.js';
import { consolePage, type HeaderLink } from './page.js';
import type { ConsoleData, ConsoleGroup, ConsoleSet } from './read.js';
import { explainForm } from './explain-page.js';

/** What a page render needs besides the data. */
export interface RenderContext extends FormContext {
  /** A line shown at the top: what the last button did, or why it was refused. */
  readonly flash: { readonly ok: boolean; readonly text: string } | null;
  readonly links?: readonly HeaderLink[];
}

function anchor(name: string): string {
  return `set-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function badge(set: ConsoleSet): string {
  return `<span class="badge ${set.status.kind}" data-status="${set.status.kind}">${escapeHtml(set.status.words)}</span>`;
}

function overview(data: ConsoleData): string {
  const rows = data.groups.flatMap((g) =>
    g.members.map((m) => {
      const days = m.schedule.daysLeft === null ? '—' : m.schedule.daysLeft === 0 ? 'reached' : `${formatCount(m.schedule.daysLeft)} d`;
      const summary = data.hasConversions ? escapeHtml(m.report.summary) : '';
      return `<tr><td><a href="#${anchor(m.name)}">${escapeHtml(m.name)}</a>${g.kind === 'multi' ? ` <span class="muted">in ${escapeHtml(g.name)}</span>` : ''}</td><td>${badge(m)}</td><td class="num">${formatCount(m.report.totalUsers)}</td><td class="num">${days}</td><td class="result">${summary}</td></tr>`;
    }),
  );
  if (rows.length === 0) {
    return '<p>No sets yet: pass the app’s sets to the console (`sets`), or call publishSets at start-up.</p>';
  }
  return `<div class="scroll"><table class="overview">
<thead><tr><th>Set</th><th>Status</th><th class="num">Users</th><th class="num">Days left</th><th class="result">${data.hasConversions ? 'Result' : ''}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}

function changedLine(set: ConsoleSet): string {
  const c = set.status.changed;
  if (c === null || !set.status.controlled) return '';
  return `<p class="muted">Control set by ${escapeHtml(c.by ?? 'someone unnamed')} at ${escapeHtml(c.at.toISOString())}${c.note ? ` — “${escapeHtml(c.note)}”` : ''}.</p>`;
}

/** When a group's results were read, and a link that reads them now (the page keeps them for a while). */
function readLine(group: ConsoleGroup, ctx: RenderContext): string {
  const at = group.readAt.toISOString().replace('T', ' ').slice(0, 19);
  const took = group.readMs < 1000 ? `${Math.round(group.readMs)} ms` : `${(group.readMs / 1000).toFixed(1)} s`;
  const newer = group.refreshing ? '; newer ones are being read, reload in a moment' : '';
  const href = `${ctx.action.replace(/\/controls$/, '/')}?fresh=1#${anchor(group.members[0]?.name ?? group.name)}`;
  return `<p class="muted" data-read-at="${escapeHtml(group.readAt.toISOString())}" data-refreshing="${group.refreshing}">Results as read at ${escapeHtml(at)} UTC (in ${took})${newer}. <a href="${escapeHtml(href)}">Read them now</a></p>`;
}

function setSection(set: ConsoleSet, group: ConsoleGroup, data: ConsoleData, ctx: RenderContext): string {
  const r = set.report;
  const hold = r.status === 'on-hold' ? `<div class="warning" role="alert"><p><strong>On hold:</strong> ${escapeHtml(SRM_WARNING)}</p></div>` : '';
  const split = set.weightsKnown
    ? splitLine(
        'Split between variants',
        r.arms.map((a) => a.variant),
        r.sampleRatio,
      )
    : '<p class="muted" data-check="split" data-flagged="false">Split not checked: the catalogue holds no weights (serve the console with the app’s sets).</p>';
  const results = data.hasConversions
    ? `<p class="summary">${escapeHtml(r.summary)}</p>${hold}${conversionSection(r, set.looks)}${powerLine(r)}`
    : armsTable(r, false);
  const metrics = set.metrics.map(metricSection).join('\n');
  const problem = set.metricsProblem ? `<div class="warning"><p>${escapeHtml(set.metricsProblem)}</p></div>` : '';
  const heading = `${escapeHtml(set.name)}${group.kind === 'multi' ? ` <span class="muted">(in ${escapeHtml(group.name)})</span>` : ''}`;
  return `<section id="${anchor(set.name)}" data-set="${escapeHtml(set.name)}">
<h3>${heading} ${badge(set)}</h3>
${group.kind === 'set' ? readLine(group, ctx) : ''}
${changedLine(set)}
${controlsForm(set, ctx)}
${scheduleLine(set.schedule)}
<h4>New users per day</h4>
${renderTrafficChart(set.traffic, set.variants, `New users per day and variant, set ${set.name}`)}
<h4>Health</h4>
${split}
${mixedLine(set.mixed, r.totalUsers)}
${results}
${metrics}${problem}
</section>`;
}

function groupSection(group: ConsoleGroup, data: ConsoleData, ctx: RenderContext): string {
  const members = group.members.map((m) => setSection(m, group, data, ctx)).join('\n');
  if (group.kind === 'set') return members;
  const split = group.memberSplit!;
  const warn = split.flagged ? `<div class="warning" role="alert"><p><strong>Warning:</strong> ${escapeHtml(SRM_WARNING)}</p></div>` : '';
  return `<h2 data-multi="${escapeHtml(group.name)}">Multi set “${escapeHtml(group.name)}”</h2>
<p class="muted">Each person is in one of its members. Controls apply to the members.</p>
${readLine(group, ctx)}
${warn}${splitLine('Split between the members', group.splitMembers, split)}
${members}`;
}

function changesList(data: ConsoleData): string {
  if (data.changes.length === 0) return '<p class="muted">No control has been changed yet.</p>';
  const show = (c: Readonly<Record<string, unknown>> | null) =>
    c === null
      ? 'none'
      : Object.entries(c)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
          .join(', ') || 'none';
  const rows = data.changes.map(
    (c) =>
      `<tr><td>${escapeHtml(c.changedAt.toISOString().replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(c.setName)}</td><td>${escapeHtml(show(c.before))} → ${escapeHtml(show(c.after))}</td><td>${escapeHtml(c.changedBy ?? '—')}</td><td>${escapeHtml(c.note ?? '')}</td></tr>`,
  );
  return `<div class="scroll"><table class="changes"><thead><tr><th>When (UTC)</th><th>Set</th><th>Change</th><th>Who</th><th>Note</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

const HOW_TO_READ = `<div class="note">
<h2>How to read this</h2>
<ul>
  <li>Each person counts once per test, for the variant they saw first (an anonymous visit and a later login are one person);
    a conversion counts if it came at or after that first exposure.</li>
  <li><strong>The dot</strong> is the difference to control. <strong>The pale bar</strong> is the sequential interval: the verdict
    follows it, and it stays honest however often you look. <strong>The thin line</strong> is the classic fixed-horizon interval,
    valid only for a single look at a planned size.</li>
  <li><strong>Over time</strong>: the band is the sequential interval at each look; a verdict comes when it leaves the zero line.</li>
  <li>With many variants, each comparison is tested at a stricter level (Holm), so one lucky variant among ten is not a winner.</li>
  <li>The split check compares users per variant (and per member) with the configured weights; a mismatch puts verdicts on hold.</li>
  <li><strong>Disable</strong> gives everyone control; <strong>Pin</strong> gives everyone one variant (the test is concluded);
    <strong>Coverage</strong> puts a share of users in the test without moving anyone between variants. Every change is recorded.</li>
</ul>
</div>`;

/**
 * The whole experiments page: when it was made, the result of the last button, an overview table,
 * then every group (multi sets with their member split) and set, the latest control changes and
 * how to read the charts. Every value is escaped; the charts are inline SVG; there is no script.
 */
export function renderConsole(data: ConsoleData, ctx: RenderContext): string {
  const flash = ctx.flash
    ? `<div class="${ctx.flash.ok ? 'note' : 'warning'}" role="status" id="flash" data-ok="${ctx.flash.ok}"><p>${escapeHtml(ctx.flash.text)}</p></div>`
    : '';
  const body = `<p class="muted">Page made at ${escapeHtml(data.generatedAt.toISOString())}: controls and changes as of now, each set’s results as of the time it says.</p>
${flash}
${explainForm(ctx.action.replace(/\/controls$/, '/explain'))}
${overview(data)}
${data.groups.map((g) => groupSection(g, data, ctx)).join('\n')}
<h2>Latest control changes</h2>
${changesList(data)}
${HOW_TO_READ}`;
  return consolePage('Experiments', body, ctx.links);
}
