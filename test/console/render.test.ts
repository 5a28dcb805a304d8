// The console's page from data built by hand: verdicts, tables, SVG charts, split and mixed checks, metrics, schedule, escaping.
import { expect } from 'chai';
import { analyzeSet, memberSplitCheck, type AnalysisMulti, type MemberCounts, type MetricReport } from '../../src/analysis/index.js';
import { escapeHtml, renderConsole, SRM_WARNING, scheduleOf, statusOf, type ConsoleData, type ConsoleSet } from '../../src/console/index.js';
import type { RenderContext } from '../../src/console/index.js';

const at = new Date(Date.UTC(2024, 5, 1, 12));
const DELAY = { name: 'delay', control: 'control', variants: ['control', 'short', 'long'].map((name) => ({ name, expectedShare: 1 / 3 })) };
const PRICING = { name: 'pricing', control: 'p0', variants: ['p-1', 'p0', 'p1'].map((name) => ({ name, expectedShare: 1 / 3 })) };
const MULTI: AnalysisMulti = {
  name: 'delay/pricing',
  members: [
    { expectedShare: 10 / 11, set: DELAY },
    { expectedShare: 1 / 11, set: PRICING },
  ],
};
const RUNNING = statusOf(
  { setName: 'x', set: null, record: null, inForce: { disabled: false, pinned: null, coverage: 1 } },
  { disabled: false, pinned: null, coverage: 1 },
);
const CTX: RenderContext = { action: '/console/controls', csrf: 'csrf-value', canWrite: true, needsToken: true, flash: null };

/** `delay` users per delay arm (long converts 3 %, the others 9 %), 10 % of that per pricing arm, `loss` of pricing's users lost. */
function counts(delay: number, loss = 0): MemberCounts[] {
  const pricing = Math.round((delay / 10) * (1 - loss));
  return [
    { set: 'delay', variant: 'control', users: delay, converted: Math.round(delay * 0.09) },
    { set: 'delay', variant: 'short', users: delay, converted: Math.round(delay * 0.09) },
    { set: 'delay', variant: 'long', users: delay, converted: Math.round(delay * 0.03) },
    ...PRICING.variants.map((v) => ({ set: 'pricing', variant: v.name, users: pricing, converted: Math.round(pricing * 0.08) })),
  ];
}

/** The page's data for the multi set, with looks at a quarter, half, three quarters and all of the users. */
function data(delay: number, loss = 0, metrics: readonly MetricReport[] = [], multi: AnalysisMulti = MULTI, rows = counts): ConsoleData {
  const now = rows(delay, loss);
  const { split, members } = memberSplitCheck(multi, now);
  const sets: ConsoleSet[] = multi.members.map(({ set }) => {
    const mine = now.filter((c) => c.set === set.name);
    const report = analyzeSet(set, mine, { minimumEffect: 0.02 }, split);
    return {
      name: set.name,
      variants: set.variants.map((v) => v.name),
      weightsKnown: true,
      published: true,
      status: RUNNING,
      report,
      mixed: 3,
      traffic: set.variants.flatMap((v, i) => [0, 1, 2].map((d) => ({ day: `2024-05-3${d}`, set: set.name, variant: v.name, users: 10 + i + d }))),
      looks: [0.25, 0.5, 0.75, 1].map((share, i) => {
        const look = analyzeSet(
          set,
          rows(Math.round(delay * share), loss).filter((c) => c.set === set.name),
        );
        return { at: new Date(at.getTime() - (3 - i) * 86_400_000), users: look.totalUsers, comparisons: look.comparisons };
      }),
      metrics: set.name === 'delay' ? metrics : [],
      metricsProblem: null,
      schedule: scheduleOf(report, 300),
    };
  });
  return {
    generatedAt: at,
    hasConversions: true,
    groups: [
      {
        name: multi.name,
        kind: 'multi',
        memberSplit: split,
        splitMembers: members,
        members: sets,
        traffic: { days: [], lastDayUsers: 330, firstExposedAt: at },
        readAt: at,
        readMs: 1234,
        refreshing: false,
      },
    ],
    changes: [],
  };
}

/** A revenue metric of the delay set, by hand: `long` earns less per visitor, a latency guardrail fails. */
function revenue(): MetricReport {
  const arm = (variant: string, mean: number) => ({
    variant,
    isControl: variant === 'control',
    n: 3000,
    mean,
    variance: 4,
    interval: { low: mean - 0.07, high: mean + 0.07 },
    count: 400,
  });
  const comparison = (variant: string, difference: number, kind: 'worse' | 'unclear') => ({
    variant,
    control: 'control',
    difference,
    unadjustedDifference: difference,
    differenceInterval: { low: difference - 0.1, high: difference + 0.1 },
    degreesOfFreedom: 5998,
    pValue: 0.001,
    adjustedPValue: 0.002,
    relativeLift: difference / 2.5,
    relativeInterval: { low: (difference - 0.1) / 2.5, high: (difference + 0.1) / 2.5 },
    sequentialInterval: { low: difference - 0.15, high: difference + 0.15 },
    sequentialPValue: 0.01,
    level: 0.025,
    relativeSequentialInterval: { low: (difference - 0.15) / 2.5, high: (difference + 0.15) / 2.5 },
    guardrailWords: null,
    verdict: { kind, words: kind === 'worse' ? `${variant} earns less per visitor than control` : 'no clear difference yet' },
    guardrail: null,
  });
  return {
    metric: 'revenue <per visitor>',
    kind: 'mean',
    role: 'primary',
    higherIsBetter: true,
    control: 'control',
    arms: [arm('control', 2.5), arm('short', 2.48), arm('long', 2.1)],
    comparisons: [comparison('short', -0.02, 'unclear'), comparison('long', -0.4, 'worse')],
    cuped: { theta: 0.41, varianceReduction: 0.23, balancePValue: 0.6, balanced: true },
    cap: 100,
    mixed: 3,
    margin: null,
    minimumEffect: null,
    tuningUsers: 6000,
    minimumPerArm: 25,
    guardrailLevel: 0.05,
    sampleRatio: null,
    summary: 'revenue <per visitor>: long earns 0.40 less per visitor than control.',
  };
}

function latency(): MetricReport {
  const base = revenue();
  return {
    ...base,
    metric: 'latency',
    role: 'guardrail',
    higherIsBetter: false,
    cuped: null,
    cap: null,
    comparisons: base.comparisons.map((c) => ({ ...c, guardrail: c.variant === 'long' ? ('failing' as const) : ('safe' as const) })),
    summary: 'latency: long fails its guardrail.',
  };
}

describe('renderConsole', () => {
  it('leads each set with its verdict, then its plots, table, split and mixed checks, power and schedule', () => {
    const html = renderConsole(data(3000), CTX);
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include('2024-06-01T12:00:00.000Z');
    expect(html).to.match(/<p class="summary">delay: long converts worse than control: −6\.0 points/);
    expect(html.match(/<svg class="forest"/g)).to.have.length(2);
    expect(html.match(/<svg class="timeline"/g)).to.have.length(2 + 2);
    expect(html.match(/<svg class="traffic"/g)).to.have.length(2);
    expect(html).to.include('<tr data-variant="control" data-users="3000" data-converted="270">');
    expect(html).to.include('<span class="worse">long converts worse than control');
    expect(html).to.match(
      /Split between the members: delay 9,000 \(expected [\d,]+\) · pricing 900 \(expected [\d,]+\) — p = [\d.]+, as configured ✓/,
    );
    expect(html).to.include('Persons seen in more than one variant: 3 of 9,000 (0.0 %) ✓');
    expect(html).to.match(/Power: with these users, a difference of about ±[\d.]+ points would be detected/);
    expect(html).to.match(
      /<strong>Schedule:<\/strong> 9,000 of [\d,]+ users to detect the minimum effect; (about [\d,]+ days? left at today’s traffic|the planned sample is reached)/,
    );
    expect(html).not.to.include('role="alert"');
  });

  it('draws every chart as inline SVG with no script or external resource', () => {
    const html = renderConsole(data(3000, 0, [revenue()]), CTX);
    expect(html).not.to.match(/<script|<link|\bsrc=|@import|url\(/i);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.to.match(/https?:/);
  });

  it('puts every verdict on hold when a member lost 30 % of its users (the member split)', () => {
    const html = renderConsole(data(3000, 0.3), CTX);
    expect(html).to.include(escapeHtml(SRM_WARNING));
    expect(html.match(/role="alert"/g)).to.have.length(3);
    expect(html).to.match(/Split between the members: .*mismatch/);
  });

  it('says what is missing when a set has no users yet', () => {
    const html = renderConsole(data(0), CTX);
    expect(html).to.include('No plot yet: the control and at least one variant need users.');
    expect(html).to.include('The effect over time needs at least two looks');
  });

  it('renders each MetricReport: its sentence, forest plot, arms, lift, CUPED, cap, guardrail and direction', () => {
    const html = renderConsole(data(3000, 0, [revenue(), latency()]), CTX);
    expect(html).to.include('<div class="metric" data-metric="revenue &lt;per visitor&gt;" data-role="primary">');
    expect(html).to.include('<p class="summary">revenue &lt;per visitor&gt;: long earns 0.40 less per visitor than control.</p>');
    expect(html.match(/<svg class="forest"/g)).to.have.length(4);
    expect(html).to.include('CUPED: θ 0.410, variance reduced by 23.0 %; pre-period balanced ✓');
    expect(html).to.include('values capped at 100');
    expect(html).to.include('<td>2.1 <span class="muted">(2.03 to 2.17)</span></td>');
    expect(html).to.include('−16.0 %');
    expect(html).to.include('<span class="badge">guardrail failing</span>');
    expect(html).to.include('mean, lower is better');
    expect(html).to.include('<span class="worse">long earns less per visitor than control</span>');
  });

  it('shows the buttons with the CSRF value and the token field, or says read-only', () => {
    const html = renderConsole(data(3000), CTX);
    expect(html).to.include('<form class="controls" method="post" action="/console/controls" data-set="delay">');
    expect(html).to.include('<input type="hidden" name="csrf" value="csrf-value">');
    expect(html).to.include('<input type="password" name="token" autocomplete="off" required>');
    expect(renderConsole(data(3000), { ...CTX, canWrite: false })).to.include('Read-only');
  });

  it('escapes a malicious set, variant or metric name everywhere', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const name = '<script>alert(1)</script>';
    const set = {
      name,
      control: 'control',
      variants: [
        { name: 'control', expectedShare: 0.5 },
        { name: evil, expectedShare: 0.5 },
      ],
    };
    const multi: AnalysisMulti = { name, members: [{ expectedShare: 1, set }] };
    const rows = (users: number): MemberCounts[] => [
      { set: name, variant: 'control', users, converted: Math.round(users * 0.04) },
      { set: name, variant: evil, users, converted: Math.round(users * 0.08) },
    ];
    const html = renderConsole(data(500, 0, [], multi, rows), CTX);
    expect(html).not.to.include('<img');
    expect(html).not.to.include('<script');
    expect(html).not.to.include(evil);
    expect(html).to.include(escapeHtml(evil));
  });
});
