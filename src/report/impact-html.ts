/**
 * `renderImpactReport(impact, options?)`: a program's impact (`programImpact`) as one
 * self-contained HTML page, like the match report (html.ts): inline style and SVG, no script and
 * no request of any kind, readable on screen and on paper. Everything shown comes from the
 * impact as computed — small groups already hidden there — and no mentee is listed by name: the
 * page shows the cohort, tiers and groups only. Browser-safe: no Node built-ins.
 */
import type { ImpactFigures } from "../impact/scorecard.js";
import type { ProgramImpact } from "../impact/program.js";
import type { OutcomeSurvival } from "../impact/curves.js";
import type { KaplanMeierCurve, LogRankResult } from "../impact/survival.js";
import type { Series } from "../impact/trajectories.js";
import { CHART_STYLE, lineChartHtml, survivalChartHtml, type StepCurve } from "./impact-charts.js";
import { counted, escapeHtml as e, formatCount, formatShare, NONE } from "./format.js";
import { STYLE, table } from "./page.js";

/** Options of `renderImpactReport`: what the page says about itself. */
export interface ImpactReportOptions {
  /** The page's title. Default "Mentoring program impact". */
  readonly title?: string;
  /** The program or cohort, shown under the title. Default none. */
  readonly cohort?: string;
  /** When the report was made, shown as given. Default none (the same input, the same page). */
  readonly generatedAt?: string;
}

/** Section ids and headings, in order. */
export const IMPACT_SECTIONS = [
  { id: "headline", title: "Headline" },
  { id: "trajectories", title: "Month by month" },
  { id: "retention", title: "Retention" },
  { id: "independence", title: "Time to independence" },
  { id: "equity", title: "Equity of outcomes" },
  { id: "tiers", title: "By tier" },
  { id: "calibration", title: "Did the score predict growth?" },
] as const;

type SectionId = (typeof IMPACT_SECTIONS)[number]["id"];

const share = (x: number | null) => (x === null || Number.isNaN(x) ? NONE : formatShare(x));
const months = (x: number | null) =>
  x === null || Number.isNaN(x) ? NONE : `${(Math.round(x * 10) / 10).toFixed(1)} months`;
const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : NONE);
const pValue = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

function section(id: SectionId, body: string): string {
  const title = IMPACT_SECTIONS.find((s) => s.id === id)!.title;
  return `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${e(title)}</h2>${body}</section>`;
}

function stat(label: string, value: string, sub = ""): string {
  return `<div class="stat"><dt>${e(label)}</dt><dd>${value}${sub ? `<span class="sub">${sub}</span>` : ""}</dd></div>`;
}

function headline(p: ProgramImpact): string {
  const s = p.scorecard;
  const c = s.cohort;
  return section(
    "headline",
    `<p>${counted(s.consenting, "mentee", "mentees")} with analytics consent, followed from ${e(s.start)} for ${counted(s.horizonMonths, "month", "months")}. Everyone else is in no figure of this report.</p>` +
      `<dl class="stats">${[
        stat(
          "Weighted gap closed",
          share(c.gapClosed),
          "mean share of each mentee's strategy-weighted gap",
        ),
        stat(
          "High-priority skills",
          share(c.alignment.high),
          `closed, against ${share(c.alignment.rest)} on the rest`,
        ),
        stat("Check-ins held", share(c.engagement), "of those planned"),
        stat(
          "Still in the organization",
          share(c.retention.atHorizon),
          `at ${s.horizonMonths} months; high-potential: ${share(c.retention.highPotential)}`,
        ),
        stat(
          "Independent",
          share(c.independence.byHorizon),
          `by ${s.horizonMonths} months; median ${c.independence.medianMonths === null ? "not reached" : months(c.independence.medianMonths)}`,
        ),
      ].join("")}</dl>`,
  );
}

function trajectoriesSection(p: ProgramImpact): string {
  const t = p.trajectories;
  const lines = (pick: (s: Series) => readonly number[]) => [
    { label: "cohort", values: pick(t.cohort) },
    ...t.tiers.map((x) => ({ label: `tier ${x.tier}`, values: pick(x.series) })),
  ];
  return section(
    "trajectories",
    `<p>Month by month: the cohort (every consenting mentee, with a mentor or without) and the mentees of each tier's mentors.</p>` +
      `<h3>Weighted gap closed</h3>${lineChartHtml(
        "Share of the weighted gap closed, by month",
        "gap closed",
        lines((s) => s.gapClosed),
      )}` +
      `<h3>Check-ins held</h3>${lineChartHtml(
        "Check-ins held of those planned so far, by month",
        "held",
        lines((s) => s.engagement),
      )}`,
  );
}

const curveOf = (label: string, c: KaplanMeierCurve | null): StepCurve[] =>
  c ? [{ label, n: c.n, steps: c.steps }] : [];

function testWords(test: LogRankResult | null, what: string): string {
  if (!test) return "";
  const groups = test.groups
    .map(
      (g) => `${e(g.label)}: ${formatCount(g.observed)} observed, ${num(g.expected, 1)} expected`,
    )
    .join("; ");
  return `<p class="test">Log-rank test ${e(what)}: χ² = ${num(test.chiSquare)} on ${test.df} df, ${pValue(test.pValue)} (${groups}).</p>`;
}

function survivalSection(
  id: "retention" | "independence",
  o: OutcomeSurvival,
  horizon: number,
  yTitle: string,
  intro: string,
): string {
  const c = o.cohort;
  const rm = c.restrictedMean;
  const median =
    c.median.time === null
      ? "not reached"
      : `${months(c.median.time)} (95% interval ${months(c.median.lower)} to ${c.median.upper === null ? "not reached" : months(c.median.upper)})`;
  const sides = [
    ...curveOf("matched", o.matched.matched),
    ...curveOf("unmatched", o.matched.unmatched),
  ];
  return section(
    id,
    `<p>${e(intro)} Kaplan–Meier, with censoring; the band is the 95% pointwise interval (${e(c.confType)}).</p>` +
      `<p>Median: ${median}.${rm ? ` Restricted mean to ${horizon} months: ${months(rm.value)} (standard error ${num(rm.stdErr)}).` : ""}</p>` +
      survivalChartHtml(`${yTitle}: the cohort`, yTitle, curveOf("cohort", c), horizon) +
      (sides.length === 2
        ? `<h3>Matched and unmatched mentees</h3>${survivalChartHtml(`${yTitle}: matched and unmatched mentees`, yTitle, sides, horizon)}${testWords(o.matched.test, "matched against unmatched")}`
        : `<p class="note">Matched and unmatched mentees are not compared: every consenting mentee is on one side.</p>`),
  );
}

function figuresRow(label: string, f: ImpactFigures): string[] {
  return [
    e(label),
    formatCount(f.n),
    share(f.gapClosed),
    share(f.engagement),
    share(f.retention.atHorizon),
    share(f.independence.byHorizon),
  ];
}
const FIGURE_HEAD = ["", "Mentees", "Gap closed", "Check-ins held", "Retained", "Independent"];

function equitySection(p: ProgramImpact): string {
  const s = p.scorecard;
  if (s.groups.length === 0)
    return section("equity", `<p class="empty">The cohort declares no sensitive attribute.</p>`);
  const k = s.minGroupSize;
  const parts = s.groups.map((a) => {
    const rows = a.groups.map((g) =>
      g.hidden || !g.figures
        ? [
            e(g.label),
            `<span class="note">hidden (fewer than ${k}, or would reveal one)</span>`,
            "",
            "",
            "",
            "",
          ]
        : figuresRow(g.label, g.figures),
    );
    const curves = p.curves.retention.groups.find((x) => x.attribute === a.attribute);
    const shown: StepCurve[] = (curves?.groups ?? []).flatMap((g) => curveOf(g.label, g.curve));
    return (
      `<h3>${e(a.attribute)}</h3>${table("groups", FIGURE_HEAD.map(e), rows, [1, 2, 3, 4, 5])}` +
      (shown.length > 1
        ? survivalChartHtml(
            `Still in the organization, by ${a.attribute}`,
            "still in",
            shown,
            s.horizonMonths,
          )
        : "") +
      testWords(curves?.test ?? null, `across the shown groups of ${a.attribute}, retention`) +
      testWords(
        p.curves.independence.groups.find((x) => x.attribute === a.attribute)?.test ?? null,
        `across the shown groups of ${a.attribute}, independence`,
      )
    );
  });
  return section(
    "equity",
    `<p>Outcomes per group of each sensitive attribute, at ${s.horizonMonths} months. A group of fewer than ${k} mentees is hidden, and so is the next smallest when the hidden ones could be worked out by subtraction; sensitive attributes never enter a score.</p>${parts.join("")}`,
  );
}

function tiersSection(p: ProgramImpact): string {
  const s = p.scorecard;
  if (s.tiers.length === 0) return section("tiers", `<p class="empty">No mentee has a mentor.</p>`);
  return section(
    "tiers",
    `<p>Mentees by the tier of their mentor (a mentee with two mentors of different tiers counts in both).</p>${table(
      "tiers",
      FIGURE_HEAD.map(e),
      s.tiers.map((t) => figuresRow(t.tier, t.figures)),
      [1, 2, 3, 4, 5],
    )}`,
  );
}

function calibrationSection(p: ProgramImpact): string {
  const c = p.calibration;
  const corr = table(
    "calibration",
    ["Predictor", "r with gap closed", "95% interval", "n"].map(e),
    c.correlations.map((x) => [
      e(x.term),
      num(x.r),
      `${num(x.lower)} to ${num(x.upper)}`,
      formatCount(x.n),
    ]),
    [1, 3],
  );
  const reg = c.regression;
  const regression = reg
    ? `<p>Ridge regression of the gap closed on the score's terms (penalty ${num(reg.penalty, 1)}): out-of-sample error ${num(reg.cvError, 3)} against ${num(reg.baselineError, 3)} for predicting the mean.</p>`
    : "";
  const weights = c.suggestedWeights;
  const suggested = weights
    ? table(
        "weights",
        ["Term", "Current weight", "Suggested", "Evidence (coefficient, 95% interval)"].map(e),
        Object.keys(c.currentWeights).map((term) => {
          const coef = reg?.coefficients.find((x) => x.term === term);
          return [
            e(term),
            num(c.currentWeights[term], 3),
            num(weights[term] ?? NaN, 3),
            coef ? `${num(coef.value, 3)} (${num(coef.lower, 3)} to ${num(coef.upper, 3)})` : NONE,
          ];
        }),
        [1, 2],
      ) +
      `<p class="note">Suggested, never applied: a term whose interval holds 0 keeps its weight.</p>`
    : "";
  return section(
    "calibration",
    `<p>For ${counted(c.n, "mentee", "mentees")} with a mentor: how the pair's fit and each of its terms went with the share of the gap closed.</p>${corr}${regression}${suggested}` +
      (c.warning ? `<p class="callout warn">${e(c.warning)}</p>` : ""),
  );
}

/**
 * One self-contained HTML page for a program's impact: headline figures, month-by-month lines,
 * retention and independence curves with their bands and log-rank tests, outcomes per group
 * (small groups hidden), per tier, and the calibration of the score. No script and no request;
 * deterministic unless `generatedAt` is given.
 */
export function renderImpactReport(
  impact: ProgramImpact,
  options: ImpactReportOptions = {},
): string {
  const title = options.title ?? "Mentoring program impact";
  const meta = [
    options.cohort ? `Program: <strong>${e(options.cohort)}</strong>` : "",
    options.generatedAt ? `Generated: <time>${e(options.generatedAt)}</time>` : "",
    `Horizon: ${counted(impact.scorecard.horizonMonths, "month", "months")}`,
  ].filter((x) => x !== "");
  const nav = `<nav aria-label="Sections"><ol>${IMPACT_SECTIONS.map(
    (s) => `<li><a href="#${s.id}">${e(s.title)}</a></li>`,
  ).join("")}</ol></nav>`;
  const H = impact.curves.horizonMonths;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${e(title)}${options.cohort ? ` — ${e(options.cohort)}` : ""}</title>`,
    `<style>${STYLE}${CHART_STYLE}</style></head><body>`,
    `<header><h1>${e(title)}</h1><p class="meta">${meta.join(" · ")}</p>${nav}</header><main>`,
    headline(impact),
    trajectoriesSection(impact),
    survivalSection(
      "retention",
      impact.curves.retention,
      H,
      "still in the organization",
      "Months until a mentee left the organization; those still there at the end are censored.",
    ),
    survivalSection(
      "independence",
      impact.curves.independence,
      H,
      "not yet independent",
      "Months until a mentee first reached independence on a goal; censored at leaving or at the end.",
    ),
    equitySection(impact),
    tiersSection(impact),
    calibrationSection(impact),
    "</main></body></html>",
    "",
  ].join("\n");
}
