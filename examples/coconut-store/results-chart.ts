// Server-rendered inline SVG bar chart of a set's conversion rates with their interval whiskers.
import { escapeHtml } from './layout.js';
import { formatPercent, formatRateInterval } from './results-words.js';
import type { SetAnalysis, VariantStats } from './stats.js';

const WIDTH = 640;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 70;
const ROW_HEIGHT = 30;
const TOP = 8;
const AXIS_HEIGHT = 24;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const MAX_LABEL = 24;

const COLOURS: Readonly<Record<VariantStats['verdict'], string>> = {
  control: '#8c959f',
  'better than control': '#1a7f37',
  'worse than control': '#cf222e',
  'no clear difference yet': '#4d7cc7',
  'too little data': '#b6c5dd',
};

/** A round upper bound for the axis (1, 2, 2.5 or 5 times a power of ten) at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function coordinate(n: number): string {
  return n.toFixed(1);
}

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function row(v: VariantStats, index: number, x: (rate: number) => number): string {
  const top = TOP + index * ROW_HEIGHT;
  const middle = top + ROW_HEIGHT / 2;
  const label = `<text x="${LABEL_WIDTH - 8}" y="${coordinate(middle + 4)}" text-anchor="end">${escapeHtml(shorten(v.variant))}</text>`;
  if (v.rate === null || v.rateInterval === null) {
    return `${label}\n<text x="${LABEL_WIDTH + 4}" y="${coordinate(middle + 4)}" fill="#59636e">no users yet</text>`;
  }
  const low = x(v.rateInterval.low);
  const high = x(v.rateInterval.high);
  const tooltip = `${v.variant}: ${formatPercent(v.rate)} (likely range ${formatRateInterval(v.rateInterval)})`;
  return [
    label,
    `<g><title>${escapeHtml(tooltip)}</title>`,
    `<rect x="${LABEL_WIDTH}" y="${top + 7}" width="${coordinate(x(v.rate) - LABEL_WIDTH)}" height="${ROW_HEIGHT - 14}" fill="${COLOURS[v.verdict]}" rx="2"/>`,
    // The whisker: where the true rate most likely lies.
    `<path d="M${coordinate(low)} ${coordinate(middle)}H${coordinate(high)}M${coordinate(low)} ${top + 9}V${top + ROW_HEIGHT - 9}M${coordinate(high)} ${top + 9}V${top + ROW_HEIGHT - 9}" stroke="#1f2328" stroke-width="1.5" fill="none"/>`,
    '</g>',
    `<text x="${WIDTH - 4}" y="${coordinate(middle + 4)}" text-anchor="end">${escapeHtml(formatPercent(v.rate))}</text>`,
  ].join('\n');
}

/**
 * Renders one set's conversion rates as a horizontal bar chart: a bar per variant, a whisker for
 * its 95% interval, a dashed line at control's rate and a percentage axis. Self-contained SVG
 * markup (no scripts, fonts or styles from elsewhere), every text escaped.
 */
export function renderRateChart(set: SetAnalysis): string {
  const highs = set.variants.flatMap((v) => (v.rateInterval ? [v.rateInterval.high, v.rate ?? 0] : []));
  const scaleMax = niceCeiling(Math.max(0.01, ...highs));
  const x = (rate: number): number => LABEL_WIDTH + (Math.min(rate, scaleMax) / scaleMax) * PLOT_WIDTH;
  const height = TOP + set.variants.length * ROW_HEIGHT + AXIS_HEIGHT;
  const axisY = TOP + set.variants.length * ROW_HEIGHT;
  const title = `Conversion rate by variant in ${set.setName}, with ${Math.round(set.options.confidence * 100)}% ranges`;

  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (scaleMax * i) / 4;
    const tx = coordinate(x(value));
    ticks.push(
      `<line x1="${tx}" y1="${TOP}" x2="${tx}" y2="${axisY}" stroke="#eaeef2"/>`,
      `<text x="${tx}" y="${axisY + 16}" text-anchor="middle" fill="#59636e">${escapeHtml(formatPercent(value))}</text>`,
    );
  }
  const control = set.variants.find((v) => v.isControl);
  const controlLine =
    control?.rate == null
      ? ''
      : `<line x1="${coordinate(x(control.rate))}" y1="${TOP}" x2="${coordinate(x(control.rate))}" y2="${axisY}" stroke="#59636e" stroke-dasharray="4 3"><title>control rate</title></line>`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(title)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeHtml(title)}</title>`,
    ...ticks,
    `<line x1="${LABEL_WIDTH}" y1="${axisY}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${axisY}" stroke="#8c959f"/>`,
    ...set.variants.map((v, i) => row(v, i, x)),
    controlLine,
    '</svg>',
  ].join('\n');
}
