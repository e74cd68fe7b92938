/**
 * The short summary `mentorflow match` prints: headline, load by tier, spare capacity and why,
 * unmet demand, per-group match rates (small groups suppressed by the audit), equity rules. Every
 * line is rendered from the `MatchSummary` with the report's own words (report/format.ts); the
 * report and the CSVs hold the rest.
 */
import {
  counted,
  demandWords,
  formatCount,
  formatFit,
  formatShare,
  mentorsOfTier,
  shareOf,
  shortfallWords,
  spareWords,
  STATUS_WORDS,
  stopWords,
  UNMATCHED_WORDS,
} from "../report/format.js";
import type { MatchSummary } from "../report/summary.js";

/** Lists longer than this print their first entries and say how many more there are. */
const SHOW = 5;

function capped<T>(items: readonly T[], render: (t: T) => string, more: string): string[] {
  const lines = items.slice(0, SHOW).map((t) => `  ${render(t)}`);
  if (items.length > SHOW) lines.push(`  … ${formatCount(items.length - SHOW)} more ${more}`);
  return lines;
}

/** The status in the report's words, with the total fit, the bound and the gap. */
export function statusLine(s: MatchSummary): string {
  const head = `status: ${STATUS_WORDS[s.status].label.toLowerCase()}`;
  if (s.status === "infeasible") return `${head} — no matching keeps every rule`;
  const penalty = s.penalty !== null ? ` less ${formatFit(s.penalty)} for soft rules` : "";
  const bound =
    s.bound === null
      ? "no bound proven yet"
      : s.status === "optimal"
        ? `proven the best possible (bound ${formatFit(s.bound)})`
        : `at most ${formatFit(s.gap)} below the best possible (bound ${formatFit(s.bound)})`;
  const line = `${head} — total fit ${formatFit(s.objective)}${penalty}, ${bound}`;
  return s.stop ? `${line}\n${stopWords(s.stop)}` : line;
}

export function summaryText(s: MatchSummary, where: string): string {
  const m = s.mentees;
  const lines: string[] = [
    `mentorflow match — ${where}: ${counted(m.total, "mentee", "mentees")}, ${counted(s.mentors.total, "mentor", "mentors")}`,
    statusLine(s),
  ];
  if (s.status === "infeasible") return lines.join("\n");
  lines.push(
    `matched ${formatCount(m.matched)} of ${formatCount(m.total)} mentees (${formatShare(shareOf(m.matched, m.total))}) in ${counted(m.pairs, "pair", "pairs")}${m.locked > 0 ? ` (${formatCount(m.locked)} locked)` : ""}`,
    `load by tier: ${s.tiers.map((t) => `${t.tier} ${formatCount(t.load)}/${formatCount(t.capacity)}${t.idle > 0 ? ` (${formatCount(t.idle)} idle)` : ""}`).join(", ")}`,
  );
  if (s.spare.length > 0) {
    lines.push(
      `spare capacity: ${counted(s.mentors.spare, "place", "places")}, ${counted(s.mentors.idle, "mentor", "mentors")} idle`,
    );
    lines.push(
      ...capped(
        s.spare,
        (g) => `${mentorsOfTier(g.mentors.length, g.tier)} ${spareWords(g)}`,
        "groups (see the report)",
      ),
    );
  }
  if (s.unmatchedReasons.length > 0)
    lines.push(
      `unmatched: ${formatCount(m.unmatched)} — ${s.unmatchedReasons.map((r) => `${UNMATCHED_WORDS[r.reason]} ${formatCount(r.mentees)}`).join(", ")}`,
    );
  if (s.demand.length > 0) {
    lines.push("unmet demand (whom to recruit or train):");
    lines.push(
      ...capped(
        s.demand,
        (d) => {
          const { head, teach } = demandWords(d);
          const who = counted(d.mentees.length, "mentee needs", "mentees need");
          return [`${who} ${head}`, ...teach.map((t) => `    ${t}`)].join("\n");
        },
        "skills (see the report)",
      ),
    );
  }
  const audit = s.audit;
  const groups = audit.attributes.filter((a) => a.groups.length > 0);
  if (groups.length > 0) {
    lines.push(
      `match rate by group (the ${formatCount(audit.consent.counted)} mentees who consented to analytics; groups under ${audit.minGroupSize} hidden):`,
    );
    for (const a of groups) {
      const shown = a.groups.map(
        (g) =>
          `${g.group ?? "(not stated)"} ${formatCount(g.matched)}/${formatCount(g.mentees)} (${formatShare(g.matchRate)})`,
      );
      if (a.suppressed.groups > 0) shown.push(`${a.suppressed.groups} hidden`);
      lines.push(`  ${a.attribute}: ${shown.join(", ")}`);
    }
  }
  for (const r of audit.rules) lines.push(`equity: ${r.held ? "held" : "NOT held"} — ${r.message}`);
  return lines.join("\n");
}

/** Who blocks an infeasible cohort: the diagnosis, then every minimum no answer can meet. */
export function infeasibleText(s: MatchSummary, diagnosis: string): string {
  const lines = [`No matching can keep every rule: ${diagnosis}`];
  if (s.shortfalls.length > 0) {
    lines.push(`${counted(s.shortfalls.length, "minimum", "minimums")} no answer can meet:`);
    for (const f of s.shortfalls) lines.push(`  ${shortfallWords(f)}`);
  }
  return lines.join("\n");
}
