/**
 * `renderMatchReport(summary, options?)`: a `MatchSummary` as one self-contained HTML page — inline
 * style and inline SVG, no script, no request of any kind (a Content-Security-Policy says so to
 * the browser), readable on screen and on paper.
 *
 * Everything shown comes from the summary: numbers through `format.ts`, text through
 * `escapeHtml`. Group outcomes are the fairness audit's as they stand (small groups already
 * suppressed); the report computes no statistic of a group itself. Browser-safe: no Node
 * built-ins.
 */
import type { EquityRuleStatus } from "../match/types.js";
import type { GroupStats, RuleAudit } from "../equity/types.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { got } from "../solve/args.js";
import { barAxisHtml, barScale, barSvg, fitHistogramSvg } from "./charts.js";
import { STYLE, table } from "./page.js";
import {
  counted,
  demandWords,
  mentorsOfTier,
  shortfallWords,
  spareWords,
  escapeHtml,
  fitPartWords,
  formatCount,
  formatDuration,
  formatFit,
  formatShare,
  formatSignedFit,
  NONE,
  ruleWords,
  shareOf,
  STATUS_WORDS,
  stopWords,
  UNMATCHED_WORDS,
} from "./format.js";
import type {
  DemandGroup,
  MatchSummary,
  Shortfall,
  SkillCoverage,
  SpareGroup,
  TierSummary,
} from "./summary.js";

/** Options of `renderMatchReport`: what the page says about itself. */
export interface MatchReportOptions {
  /** The page's title. Default "Mentor match report". */
  readonly title?: string;
  /** What was matched, shown under the title (e.g. the folder the cohort was read from).
   * Default none. */
  readonly cohort?: string;
  /** When the report was made, shown as given (e.g. an ISO date). Default none, so the same
   * summary always gives the same page. */
  readonly generatedAt?: string;
}

/** Rows shown at most in the tables of pairs and of unmatched mentees (the result files have
 * them all). */
export const MAX_TABLE_ROWS = 2000;

/** Section ids and headings, in order. */
export const SECTIONS = [
  { id: "headline", title: "Headline" },
  { id: "fit", title: "Fit of the pairs" },
  { id: "load", title: "Mentor load by tier" },
  { id: "coverage", title: "Strategic gap covered by skill" },
  { id: "demand", title: "Unmet demand and whom to recruit" },
  { id: "groups", title: "Outcomes by group and equity rules" },
  { id: "unmatched", title: "Unmatched mentees" },
  { id: "pairs", title: "Pairs" },
] as const;

type SectionId = (typeof SECTIONS)[number]["id"];

const e = escapeHtml;
const code = (text: string) => `<code>${e(text)}</code>`;
const CAUSE_WRAP = { id: code, prose: e };

function checkArgs(summary: unknown, options: unknown): Required<MatchReportOptions> {
  const s = summary as Partial<MatchSummary> | null;
  const ok =
    s !== null &&
    typeof s === "object" &&
    typeof s.status === "string" &&
    Object.hasOwn(STATUS_WORDS, s.status) &&
    typeof s.mentees?.total === "number" &&
    typeof s.mentors?.total === "number" &&
    Array.isArray(s.pairs) &&
    Array.isArray(s.tiers) &&
    Array.isArray(s.skills) &&
    Array.isArray(s.demand) &&
    Array.isArray(s.spare) &&
    Array.isArray(s.unmatched) &&
    Array.isArray(s.equity) &&
    Array.isArray(s.audit?.attributes) &&
    Array.isArray(s.audit?.rules);
  if (!ok)
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Expected a summary from summarizeMatch(cohort, result), got ${got(summary)}`,
        ),
      ],
      "summary",
    );
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new InputError(
      [pathIssue("invalid_option", [], `Expected an options object, got ${got(options)}`)],
      "options",
    );
  const o = options as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(o))
    if (key !== "title" && key !== "cohort" && key !== "generatedAt")
      issues.push(pathIssue("invalid_option", [key], `Unknown option ${JSON.stringify(key)}`));
    else if (o[key] !== undefined && typeof o[key] !== "string")
      issues.push(pathIssue("invalid_option", [key], `Expected a string, got ${got(o[key])}`));
  if (issues.length > 0) throw new InputError(issues, "options");
  return {
    title: (o.title as string | undefined) ?? "Mentor match report",
    cohort: (o.cohort as string | undefined) ?? "",
    generatedAt: (o.generatedAt as string | undefined) ?? "",
  };
}

function section(id: SectionId, body: string): string {
  const title = SECTIONS.find((s) => s.id === id)!.title;
  return `<section id="${id}" aria-labelledby="${id}-title"><h2 id="${id}-title">${e(title)}</h2>${body}</section>`;
}

/** "Showing the first 2,000 of 5,000 pairs" when a table is cut. */
function cutNote(shown: number, total: number, what: string): string {
  if (shown >= total) return "";
  return `<p class="note cut">Showing the first ${formatCount(shown)} of ${counted(total, what, what)}; ${formatCount(total - shown)} left out (the result files list them all).</p>`;
}

/** The smaller second line of a headline number. */
const sub = (html: string) => `<span class="sub">${html}</span>`;

// 1. Headline -------------------------------------------------------------------------------

function headline(s: MatchSummary): string {
  const words = STATUS_WORDS[s.status];
  const m = s.mentees;
  const gap = s.gap;
  const stats: [string, string, string][] = [
    ["status", "Status", e(words.label)],
    [
      "matched",
      "Mentees matched",
      `${formatCount(m.matched)} of ${formatCount(m.total)} ${sub(formatShare(shareOf(m.matched, m.total)))}`,
    ],
    ["unmatched", "Mentees unmatched", formatCount(m.unmatched)],
    [
      "pairs",
      "Pairs",
      m.locked > 0
        ? `${formatCount(m.pairs)} ${sub(`${formatCount(m.locked)} locked`)}`
        : formatCount(m.pairs),
    ],
    ["objective", "Total fit", formatFit(s.objective)],
    ["bound", "Proven bound", formatFit(s.bound)],
    [
      "gap",
      "Gap to the bound",
      gap === null
        ? NONE
        : `${formatFit(gap)} ${sub(formatShare(shareOf(gap, Math.abs(s.bound ?? 0))))}`,
    ],
    ["idle", "Mentors idle", `${formatCount(s.mentors.idle)} of ${formatCount(s.mentors.total)}`],
    [
      "spare",
      "Spare capacity",
      `${formatCount(s.mentors.spare)} of ${formatCount(s.mentors.capacity)} ${sub("places")}`,
    ],
    ["time", "Solve time", formatDuration(s.timeMs)],
  ];
  const notEnforced = s.equity.filter((r) => !r.enforced).length;
  let warn =
    notEnforced > 0
      ? `<p class="callout warn">${counted(notEnforced, "equity rule was", "equity rules were")} <strong>not enforced</strong>: see <a href="#groups">the equity rules</a>.</p>`
      : "";
  if (s.stop) warn += `<p class="callout warn">${e(stopWords(s.stop))}</p>`;
  if (s.diagnosis)
    warn += `<p class="callout warn"><strong>Why:</strong> ${e(s.diagnosis.message)} See <a href="#demand">minimums no one can meet</a>.</p>`;
  return section(
    "headline",
    `<p class="status status-${e(s.status)}"><strong>${e(words.label)}.</strong> ${e(words.sentence)}</p>${warn}<dl class="stats">${stats
      .map(
        ([key, label, value]) =>
          `<div class="stat" data-stat="${key}"><dt>${e(label)}</dt><dd>${value}</dd></div>`,
      )
      .join("")}</dl>`,
  );
}

// 2. Fit distribution -----------------------------------------------------------------------

function fitSection(s: MatchSummary): string {
  if (s.pairs.length === 0) return section("fit", `<p class="empty">No pairs.</p>`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of s.pairs) {
    lo = Math.min(lo, p.fit);
    hi = Math.max(hi, p.fit);
  }
  return section(
    "fit",
    `<p>How many of the ${counted(s.pairs.length, "pair", "pairs")} have each fit (lowest ${formatFit(lo)}, highest ${formatFit(hi)}).</p><figure>${fitHistogramSvg(s.pairs.map((p) => p.fit))}</figure>`,
  );
}

// 3. Mentor load by tier --------------------------------------------------------------------

function loadSection(tiers: readonly TierSummary[]): string {
  if (tiers.length === 0) return section("load", `<p class="empty">No tiers.</p>`);
  const scale = barScale(Math.max(...tiers.map((t) => Math.max(t.capacity, t.load))), "counts");
  const rows = tiers.map((t) => [
    e(t.tier),
    barSvg(scale, t.load, t.capacity),
    formatCount(t.load),
    formatCount(t.capacity),
    formatShare(shareOf(t.load, t.capacity)),
    formatCount(t.spare),
    formatCount(t.mentors),
    formatCount(t.idle),
  ]);
  return section(
    "load",
    `<p>Mentees placed with each tier's mentors (filled bar) against the tier's capacity (outline). Idle: mentors with room and no mentee.</p>${table(
      "bars tiers",
      [
        "Tier",
        `<span class="sr">Load against capacity</span>${barAxisHtml(scale)}`,
        "Load",
        "Capacity",
        "Used",
        "Spare",
        "Mentors",
        "Idle",
      ],
      rows,
      [2, 3, 4, 5, 6, 7],
    )}`,
  );
}

// 4. Coverage of the weighted gap per skill ------------------------------------------------

/** Skills by weighted gap, largest first (then by id). */
export function skillsByGap(skills: readonly SkillCoverage[]): SkillCoverage[] {
  return [...skills].sort(
    (a, b) => b.weightedGap - a.weightedGap || (a.skill < b.skill ? -1 : a.skill > b.skill ? 1 : 0),
  );
}

function coverageSection(skills: readonly SkillCoverage[]): string {
  if (skills.length === 0)
    return section("coverage", `<p class="empty">No mentee has a weighted gap.</p>`);
  const scale = barScale(1, "shares");
  const rows = skillsByGap(skills).map((k) => [
    code(k.skill),
    barSvg(scale, k.share ?? 0),
    formatShare(k.share),
    formatFit(k.covered),
    formatFit(k.weightedGap),
  ]);
  return section(
    "coverage",
    `<p>For each skill, the share of the mentees' strategy-weighted gap (priority × gap, summed over mentees) that their mentors cover — per mentee, the best-covering of their mentors counts. Largest gaps first.</p>${table(
      "bars skills",
      [
        "Skill",
        `<span class="sr">Share of the weighted gap covered</span>${barAxisHtml(scale)}`,
        "Share covered",
        "Gap covered",
        "Weighted gap",
      ],
      rows,
      [2, 3, 4],
    )}`,
  );
}

// 5. Unmet demand and whom to recruit -------------------------------------------------------

function demandItem(d: DemandGroup): string {
  const { head, teach } = demandWords(d, CAUSE_WRAP);
  const items = teach.map((t) => `<li>${t}.</li>`).join("");
  return `<li><strong>${counted(d.mentees.length, "mentee needs", "mentees need")}</strong> ${head}. <span class="ids">Mentees: ${listIds(d.mentees, 12)}.</span>${items ? `<ul>${items}</ul>` : ""}</li>`;
}

/** Up to `max` ids, then how many more. */
function listIds(ids: readonly string[], max: number): string {
  const shown = ids.slice(0, max).map(code).join(", ");
  return ids.length > max ? `${shown} and ${formatCount(ids.length - max)} more` : shown;
}

function spareItem(g: SpareGroup): string {
  return `<li><strong>${mentorsOfTier(g.mentors.length, g.tier, CAUSE_WRAP)}</strong> ${spareWords(g, CAUSE_WRAP)}. <span class="ids">Mentors: ${listIds(g.mentors, 12)}.</span></li>`;
}

function shortfallItem(f: Shortfall): string {
  return `<li>${shortfallWords(f, CAUSE_WRAP)}.</li>`;
}

function demandSection(s: MatchSummary): string {
  const parts: string[] = [];
  parts.push(`<h3>Unmet demand</h3>`);
  parts.push(
    s.status === "infeasible"
      ? `<p class="empty">No answer: no matching keeps every rule (see the headline).</p>`
      : s.demand.length === 0
        ? `<p class="empty">No unmatched mentee lacks an eligible mentor with room.</p>`
        : `<p>Unmatched mentees with no eligible mentor, or only full ones, by the skill of their largest weighted gap and the tiers they want.</p><ul class="sentences demand">${s.demand.map(demandItem).join("")}</ul>`,
  );
  parts.push(`<h3>Mentors with room</h3>`);
  parts.push(
    s.status === "infeasible"
      ? `<p class="empty">No answer, so no loads.</p>`
      : s.spare.length === 0
        ? `<p class="empty">Every mentor is full.</p>`
        : `<ul class="sentences spare">${s.spare.map(spareItem).join("")}</ul>`,
  );
  if (s.shortfalls.length > 0)
    parts.push(
      `<h3>Minimums no one can meet</h3><ul class="sentences shortfalls">${s.shortfalls.map(shortfallItem).join("")}</ul>`,
    );
  return section("demand", parts.join(""));
}

// 6. Per-group outcomes and equity rules ----------------------------------------------------

function groupRow(g: GroupStats, label: string): string[] {
  return [
    label,
    formatCount(g.mentees),
    formatCount(g.matched),
    formatShare(g.matchRate),
    formatCount(g.pairs),
    formatFit(g.meanFit),
    formatShare(g.gapCovered),
  ];
}

/** A rule's threshold or value in its unit. */
function ruleValue(kind: RuleAudit["kind"], x: number | null): string {
  if (x === null) return NONE;
  if (kind === "minMatchRate") return formatShare(x);
  if (kind === "minFit" || kind === "maxMeanFitGap") return formatFit(x);
  return Number.isInteger(x) ? formatCount(x) : formatFit(x);
}

function priceWords(price: number | null, share: number | null, mentees: number | null): string {
  if (price === null) return NONE;
  const out = [`${formatFit(price)}${share === null ? "" : ` (${formatShare(share)})`}`];
  if (mentees !== null && mentees !== 0) out.push(counted(mentees, "mentee", "mentees"));
  return out.join(", ");
}

function ruleRow(
  i: number,
  status: EquityRuleStatus | undefined,
  audit: RuleAudit | undefined,
): { cells: string[]; note: string } {
  const kind = status?.kind ?? audit?.kind ?? "";
  const enforced = status?.enforced ?? audit?.enforced ?? false;
  const soft =
    status?.shortfall !== undefined
      ? ` Short by ${formatFit(status.shortfall)}${status.cost === undefined ? "" : `, cost ${formatFit(status.cost)}`}.`
      : "";
  // The audit's sentence adds to what `match` said only when the rule is broken.
  const messages = [status?.message, audit && !audit.held ? audit.message : undefined].filter(
    (m): m is string => !!m,
  );
  const cells = [
    formatCount(i),
    code(kind),
    enforced ? `<span class="ok">enforced</span>` : `<span class="bad">NOT enforced</span>`,
    audit === undefined
      ? NONE
      : audit.held
        ? `<span class="ok">held</span>`
        : `<span class="bad">broken</span>${audit.groups.length > 0 ? ` (${audit.groups.map(code).join(", ")})` : ""}`,
    audit === undefined ? NONE : ruleValue(audit.kind, audit.required),
    audit === undefined ? NONE : ruleValue(audit.kind, audit.achieved),
    audit === undefined ? NONE : priceWords(audit.price, audit.priceShare, audit.priceMentees),
  ];
  return { cells, note: `<span class="message">${messages.map(e).join("<br>")}${e(soft)}</span>` };
}

function groupsSection(s: MatchSummary): string {
  const a = s.audit;
  const parts: string[] = [];
  parts.push(
    `<p class="note consent">Group statistics count the ${counted(a.consent.counted, "mentee", "mentees")} who gave analytics consent; ${counted(a.consent.excluded, "mentee who did", "mentees who did")} not ${a.consent.excluded === 1 ? "is" : "are"} left out. Rules count everyone.</p>`,
  );
  if (a.all === null)
    parts.push(
      `<p class="empty">Fewer than ${counted(a.minGroupSize, "mentee", "mentees")} counted: no group is shown.</p>`,
    );
  const head = ["Group", "Mentees", "Matched", "Match rate", "Pairs", "Mean fit", "Gap covered"];
  for (const attr of a.attributes) {
    const rows: string[][] = [];
    if (a.all !== null) rows.push(groupRow(a.all, "<em>All counted</em>"));
    for (const g of attr.groups)
      rows.push(groupRow(g, g.group === null ? "<em>Not stated</em>" : e(g.group)));
    const hidden =
      attr.suppressed.groups > 0
        ? `<p class="note suppressed">${counted(attr.suppressed.groups, "group", "groups")} hidden (${counted(attr.suppressed.mentees, "mentee", "mentees")} together): groups of fewer than ${formatCount(a.minGroupSize)} mentees are not shown, nor any that would let one be worked out.</p>`
        : "";
    parts.push(
      `<div class="attribute" data-attribute="${e(attr.attribute)}"><h3>By ${code(attr.attribute)}</h3>${
        a.all === null && attr.groups.length === 0
          ? ""
          : table("groups", head, rows, [1, 2, 3, 4, 5, 6])
      }${hidden}</div>`,
    );
  }
  parts.push(`<h3>Equity rules</h3>`);
  const n = Math.max(
    s.equity.length,
    a.rules.length === 0 ? 0 : Math.max(...a.rules.map((r) => r.index)) + 1,
  );
  if (n === 0) parts.push(`<p class="empty">The program has no equity rule.</p>`);
  else {
    const rows = Array.from({ length: n }, (_, i) =>
      ruleRow(
        i,
        s.equity.find((r) => r.index === i),
        a.rules.find((r) => r.index === i),
      ),
    );
    parts.push(
      table(
        "rules",
        ["#", "Rule", "Enforced", "Held", "Required", "Achieved", "Price"],
        rows.map((r) => r.cells),
        [0, 4, 5, 6],
        rows.map((r) => r.note),
      ),
    );
    if (a.price !== null)
      parts.push(
        `<p>All enforced rules together cost ${priceWords(a.price, a.priceShare, a.priceMentees)} of total fit.</p>`,
      );
  }
  return section("groups", parts.join(""));
}

// 7. Unmatched mentees ----------------------------------------------------------------------

function unmatchedSection(s: MatchSummary): string {
  if (s.status === "infeasible")
    return section("unmatched", `<p class="empty">No answer: no matching keeps every rule.</p>`);
  if (s.unmatched.length === 0)
    return section("unmatched", `<p class="empty">Every mentee is matched.</p>`);
  const byReason = s.unmatchedReasons
    .map((r) => `${formatCount(r.mentees)} ${e(UNMATCHED_WORDS[r.reason] ?? r.reason)}`)
    .join(" · ");
  const shown = s.unmatched.slice(0, MAX_TABLE_ROWS);
  const rows = shown.map((u) => [
    code(u.mentee),
    e(UNMATCHED_WORDS[u.reason] ?? u.reason),
    formatCount(u.eligibleMentors),
    u.blockedBy.map((b) => `${e(ruleWords(b.rule))} (${formatCount(b.mentors)})`).join(", ") ||
      NONE,
    u.topSkill === null ? NONE : code(u.topSkill),
  ]);
  return section(
    "unmatched",
    `<p>${counted(s.unmatched.length, "mentee", "mentees")} without a mentor: ${byReason}.</p>${table(
      "unmatched",
      ["Mentee", "Why", "Eligible mentors", "Other mentors ruled out by", "Top skill"],
      rows,
      [2],
    )}${cutNote(shown.length, s.unmatched.length, "unmatched mentees")}`,
  );
}

// 8. Pairs ----------------------------------------------------------------------------------

function pairsSection(s: MatchSummary): string {
  if (s.pairs.length === 0) return section("pairs", `<p class="empty">No pairs.</p>`);
  const shown = s.pairs.slice(0, MAX_TABLE_ROWS);
  // The locked column only when some pair is locked.
  const locked = s.pairs.some((p) => p.locked);
  const rows = shown.map((p) => {
    const row = [
      code(p.mentee),
      code(p.mentor),
      e(p.tier),
      formatFit(p.fit),
      p.reasons.map((r) => `${e(fitPartWords(r.part))} ${formatSignedFit(r.value)}`).join(", ") ||
        NONE,
    ];
    if (locked) row.push(p.locked ? "locked" : "");
    return row;
  });
  const head = ["Mentee", "Mentor", "Tier", "Fit", "Largest parts of the fit"];
  if (locked) head.push("Locked");
  return section(
    "pairs",
    `<p>Each pair with the largest parts of its fit${locked ? "; locked: the program fixed the pair" : ""}.</p>${table(
      "pairs",
      head,
      rows,
      [3],
    )}${cutNote(shown.length, s.pairs.length, "pairs")}`,
  );
}

// The page ----------------------------------------------------------------------------------

/**
 * One self-contained HTML page for a match: headline numbers, the fit distribution, mentor load
 * by tier, the strategic gap covered per skill, unmet demand and whom to recruit, outcomes by
 * group with the equity rules, unmatched mentees, and the pairs with their reasons (the first
 * `MAX_TABLE_ROWS` of long tables). No script and no request of any kind; deterministic unless
 * `generatedAt` is given.
 */
export function renderMatchReport(summary: MatchSummary, options?: MatchReportOptions): string {
  const o = checkArgs(summary, options);
  const meta = [
    o.cohort ? `Cohort: <strong>${e(o.cohort)}</strong>` : "",
    o.generatedAt ? `Generated: <time>${e(o.generatedAt)}</time>` : "",
    `Status: ${e(STATUS_WORDS[summary.status].label)}`,
  ].filter((x) => x !== "");
  const nav = `<nav aria-label="Sections"><ol>${SECTIONS.map(
    (s) => `<li><a href="#${s.id}">${e(s.title)}</a></li>`,
  ).join("")}</ol></nav>`;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${e(o.title)}${o.cohort ? ` — ${e(o.cohort)}` : ""}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${e(o.title)}</h1><p class="meta">${meta.join(" · ")}</p>${nav}</header><main>`,
    headline(summary),
    fitSection(summary),
    loadSection(summary.tiers),
    coverageSection(summary.skills),
    demandSection(summary),
    groupsSection(summary),
    unmatchedSection(summary),
    pairsSection(summary),
    "</main></body></html>",
    "",
  ].join("\n");
}
