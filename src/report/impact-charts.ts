/**
 * The impact report's charts as inline SVG strings (as charts.ts draws the match report's):
 * monthly lines of a share (gap closed, engagement, retention, independence) and Kaplan–Meier
 * curves as steps with their confidence bands. Scales and ticks come from d3-scale; text goes
 * through `escapeHtml`, numbers through `format.ts`.
 */
import { scaleLinear } from "d3-scale";
import type { SurvivalStep } from "../impact/survival.js";
import { escapeHtml, formatShare } from "./format.js";

const r = (x: number) => Math.round(x * 10) / 10;
const BOX = { width: 720, height: 260, top: 12, right: 16, bottom: 44, left: 60 };
/** Series beyond this many share the last colour class (the legend still names each). */
export const SERIES_CLASSES = 8;

/** One line: a label and a value per month (NaN: no value that month, a gap in the line). */
export interface LineSeries {
  readonly label: string;
  readonly values: readonly number[];
}

/** One Kaplan–Meier curve: its steps and how many it follows. */
export interface StepCurve {
  readonly label: string;
  readonly n: number;
  readonly steps: readonly SurvivalStep[];
}

type Scale = ReturnType<typeof scaleLinear<number, number>>;

/** The frame: grid and axes for months 0..xMax and shares 0..1. */
function frame(x: Scale, y: Scale, what: string, xTitle: string, yTitle: string): string[] {
  const { width, height, top, right, bottom, left } = BOX;
  const out = [
    `<svg class="chart lines" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(what)}">`,
  ];
  for (const t of y.ticks(5)) {
    const at = r(y(t));
    out.push(
      `<line class="grid" x1="${left}" x2="${width - right}" y1="${at}" y2="${at}"/>`,
      `<text class="tick" x="${left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${Math.round(t * 100)}%</text>`,
    );
  }
  const base = r(y(0));
  out.push(`<line class="axis" x1="${left}" x2="${width - right}" y1="${base}" y2="${base}"/>`);
  for (const t of x.ticks(12).filter(Number.isInteger)) {
    const at = r(x(t));
    out.push(
      `<line class="axis" x1="${at}" x2="${at}" y1="${base}" y2="${base + 5}"/>`,
      `<text class="tick" x="${at}" y="${base + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  const mid = r((top + height - bottom) / 2);
  out.push(
    `<text class="axis-title" x="${r((left + width - right) / 2)}" y="${height - 6}" text-anchor="middle">${escapeHtml(xTitle)}</text>`,
    `<text class="axis-title" x="14" y="${mid}" text-anchor="middle" transform="rotate(-90 14 ${mid})">${escapeHtml(yTitle)}</text>`,
  );
  return out;
}

const scales = (xMax: number) => {
  const { width, height, top, right, bottom, left } = BOX;
  return {
    x: scaleLinear()
      .domain([0, Math.max(1, xMax)])
      .range([left, width - right]),
    y: scaleLinear()
      .domain([0, 1])
      .range([height - bottom, top]),
  };
};

/** The legend under a chart (HTML): each label with its colour. */
function legend(labels: readonly string[]): string {
  if (labels.length < 2) return "";
  return `<ul class="legend">${labels
    .map(
      (label, s) =>
        `<li><span class="swatch s${Math.min(s, SERIES_CLASSES - 1)}" aria-hidden="true"></span>${escapeHtml(label)}</li>`,
    )
    .join("")}</ul>`;
}

/** Monthly lines of shares (0..1), months 0..n−1, with a legend; "" without any value. */
export function lineChartHtml(what: string, yTitle: string, series: readonly LineSeries[]): string {
  const months = Math.max(0, ...series.map((s) => s.values.length));
  if (months === 0 || series.every((s) => s.values.every(Number.isNaN))) return "";
  const { x, y } = scales(months - 1);
  const out = frame(x, y, what, "months since the start", yTitle);
  series.forEach((s, k) => {
    let d = "";
    let pen = "M";
    s.values.forEach((v, m) => {
      if (Number.isNaN(v)) {
        pen = "M";
        return;
      }
      d += `${pen}${r(x(m))},${r(y(Math.min(1, Math.max(0, v))))}`;
      pen = "L";
    });
    if (d !== "")
      out.push(
        `<path class="line s${Math.min(k, SERIES_CLASSES - 1)}" d="${d}"><title>${escapeHtml(s.label)}</title></path>`,
      );
  });
  out.push("</svg>");
  return `<figure>${out.join("")}${legend(series.map((s) => s.label))}</figure>`;
}

/**
 * Kaplan–Meier curves as steps up to `horizon` months, each with its pointwise confidence band
 * (shaded; where the band is undefined, none), with a legend naming each curve and its n.
 */
export function survivalChartHtml(
  what: string,
  yTitle: string,
  curves: readonly StepCurve[],
  horizon: number,
): string {
  if (curves.length === 0) return "";
  const { x, y } = scales(horizon);
  const out = frame(x, y, what, "months since the start", yTitle);
  curves.forEach((c, k) => {
    const cls = `s${Math.min(k, SERIES_CLASSES - 1)}`;
    const steps = c.steps.filter((s) => s.time <= horizon);
    // The line: S = 1 until the first event, then flat between event times.
    let s = 1;
    let d = `M${r(x(0))},${r(y(1))}`;
    for (const step of steps) {
      d += `H${r(x(step.time))}V${r(y(step.survival))}`;
      s = step.survival;
    }
    d += `H${r(x(horizon))}`;
    // The band: a polygon along the upper bounds and back along the lower ones, over the times
    // where the interval is defined.
    const upper: string[] = [];
    const lower: string[] = [];
    steps.forEach((step, at) => {
      if (!Number.isFinite(step.lower) || !Number.isFinite(step.upper)) return;
      const to = at + 1 < steps.length ? steps[at + 1].time : horizon;
      upper.push(`${r(x(step.time))},${r(y(step.upper))} ${r(x(to))},${r(y(step.upper))}`);
      lower.unshift(`${r(x(to))},${r(y(step.lower))} ${r(x(step.time))},${r(y(step.lower))}`);
    });
    if (upper.length > 0)
      out.push(`<polygon class="band ${cls}" points="${[...upper, ...lower].join(" ")}"/>`);
    out.push(
      `<path class="step ${cls}" d="${d}"><title>${escapeHtml(`${c.label}: ${formatShare(s)} at ${horizon} months (n = ${c.n})`)}</title></path>`,
    );
  });
  out.push("</svg>");
  return `<figure>${out.join("")}${legend(curves.map((c) => `${c.label} (n = ${c.n})`))}</figure>`;
}

/** The charts' colours and strokes (added to the reports' style sheet). */
export const CHART_STYLE = `
.chart .line,.chart .step{fill:none;stroke-width:2}
.chart .band{stroke:none;opacity:.16}
.s0{stroke:#2f6690;fill:#2f6690;background:#2f6690}
.s1{stroke:#c05621;fill:#c05621;background:#c05621}
.s2{stroke:#2f855a;fill:#2f855a;background:#2f855a}
.s3{stroke:#805ad5;fill:#805ad5;background:#805ad5}
.s4{stroke:#b7791f;fill:#b7791f;background:#b7791f}
.s5{stroke:#d53f8c;fill:#d53f8c;background:#d53f8c}
.s6{stroke:#319795;fill:#319795;background:#319795}
.s7{stroke:#718096;fill:#718096;background:#718096}
.chart path.line,.chart path.step{fill:none}
.legend{display:flex;flex-wrap:wrap;gap:2px 16px;list-style:none;padding:0;margin:4px 0 0;font-size:13px;color:var(--muted)}
.swatch{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle}
`;
