/**
 * The report's charts as inline SVG strings: scales, ticks and bins come from d3-scale and
 * d3-array; this module only writes the elements. Every text in a chart goes through
 * `escapeHtml` and every number through `format.ts`.
 */
import { bin, extent } from "d3-array";
import { scaleLinear } from "d3-scale";
import { counted, escapeHtml, formatFit } from "./format.js";

/** SVG coordinates to one decimal: small output, no visible difference. */
function r(x: number): number {
  return Math.round(x * 10) / 10;
}

const HIST = { width: 720, height: 240, top: 12, right: 16, bottom: 44, left: 52 };

/** A histogram of the pairs' fits (an empty string without pairs). */
export function fitHistogramSvg(fits: readonly number[]): string {
  if (fits.length === 0) return "";
  let [lo, hi] = extent(fits) as [number, number];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const { width, height, top, right, bottom, left } = HIST;
  const x = scaleLinear()
    .domain([lo, hi])
    .nice()
    .range([left, width - right]);
  const [x0, x1] = x.domain() as [number, number];
  const bins = bin().domain([x0, x1]).thresholds(x.ticks(20))(fits);
  const most = Math.max(...bins.map((b) => b.length));
  const y = scaleLinear()
    .domain([0, most])
    .nice()
    .range([height - bottom, top]);
  const out: string[] = [];
  out.push(
    `<svg class="chart histogram" viewBox="0 0 ${width} ${height}" role="img" aria-label="Histogram of the fits of ${fits.length} pairs">`,
  );
  // Grid and y axis: whole numbers of pairs only.
  const yFormat = y.tickFormat(5, ",d");
  for (const t of y.ticks(5).filter(Number.isInteger)) {
    const at = r(y(t));
    out.push(
      `<line class="grid" x1="${left}" x2="${width - right}" y1="${at}" y2="${at}"/>`,
      `<text class="tick" x="${left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeHtml(yFormat(t))}</text>`,
    );
  }
  for (const b of bins) {
    const bx0 = b.x0 ?? x0;
    const bx1 = b.x1 ?? x1;
    const w = Math.max(0, x(bx1) - x(bx0) - 1);
    const h = y(0) - y(b.length);
    out.push(
      `<rect class="bin" data-count="${b.length}" x="${r(x(bx0) + 0.5)}" y="${r(y(b.length))}" width="${r(w)}" height="${r(h)}"><title>${escapeHtml(`${counted(b.length, "pair", "pairs")} with a fit from ${formatFit(bx0)} to ${formatFit(bx1)}`)}</title></rect>`,
    );
  }
  // x axis.
  const base = r(y(0));
  out.push(`<line class="axis" x1="${left}" x2="${width - right}" y1="${base}" y2="${base}"/>`);
  const fmt = x.tickFormat(10);
  for (const t of x.ticks(10)) {
    const at = r(x(t));
    out.push(
      `<line class="axis" x1="${at}" x2="${at}" y1="${base}" y2="${base + 5}"/>`,
      `<text class="tick" x="${at}" y="${base + 18}" text-anchor="middle">${escapeHtml(fmt(t))}</text>`,
    );
  }
  out.push(
    `<text class="axis-title" x="${r((left + width - right) / 2)}" y="${height - 6}" text-anchor="middle">fit of a pair</text>`,
    `<text class="axis-title" x="14" y="${r((top + height - bottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${r((top + height - bottom) / 2)})">pairs</text>`,
    "</svg>",
  );
  return out.join("");
}

/** A scale from [0, top] onto 0..100 (percent of a bar's width) with its ticks. */
export interface BarScale {
  readonly at: (value: number) => number;
  readonly ticks: readonly { readonly at: number; readonly label: string }[];
}

/** Whole numbers (`counts`) or shares (0..1, ticks as percent). */
export function barScale(top: number, kind: "counts" | "shares"): BarScale {
  const x = scaleLinear()
    .domain([0, kind === "shares" ? 1 : Math.max(top, 1)])
    .range([0, 100]);
  if (kind === "counts") x.nice(5);
  const values = kind === "counts" ? x.ticks(5).filter(Number.isInteger) : x.ticks(5);
  const fmt = kind === "counts" ? x.tickFormat(5, ",d") : x.tickFormat(5, "%");
  return {
    at: (v) => Math.min(100, Math.max(0, x(v))),
    ticks: values.map((v) => ({ at: x(v), label: fmt(v) })),
  };
}

/** The axis above a column of bars: tick labels placed at their share of the width. */
export function barAxisHtml(scale: BarScale): string {
  return `<div class="bar-axis" aria-hidden="true">${scale.ticks
    .map((t) => `<span style="left:${r(t.at)}%">${escapeHtml(t.label)}</span>`)
    .join("")}</div>`;
}

/** One bar (a table cell's content): a track, an optional outline up to `outline` (capacity),
 * and the filled bar up to `value`, with the scale's grid lines. */
export function barSvg(scale: BarScale, value: number, outline?: number): string {
  const out = [
    `<svg class="bar" viewBox="0 0 100 16" preserveAspectRatio="none" aria-hidden="true">`,
  ];
  for (const t of scale.ticks)
    out.push(
      `<line class="grid" x1="${r(t.at)}" x2="${r(t.at)}" y1="0" y2="16" vector-effect="non-scaling-stroke"/>`,
    );
  if (outline !== undefined)
    out.push(
      `<rect class="capacity" x="0" y="2" width="${r(scale.at(outline))}" height="12" vector-effect="non-scaling-stroke"/>`,
    );
  out.push(`<rect class="fill" x="0" y="4" width="${r(scale.at(value))}" height="8"/>`, "</svg>");
  return out.join("");
}
