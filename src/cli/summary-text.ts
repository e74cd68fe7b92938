/**
 * The short summary `mentorflow match` prints: headline, load by tier, spare capacity and why,
 * unmet demand, per-group match rates (small groups suppressed by the audit), equity rules. Every
 * line is rendered from the `MatchSummary`; the report and the CSVs hold the rest.
 */
import type { MatchSummary } from "../report/summary.js";
import {
  demandText,
  fit,
  percent,
  plural,
  shortfallText,
  spareText,
  UNMATCHED_WORDS,
} from "../report/text.js";

/** Lists longer than this print their first entries and say how many more there are. */
const SHOW = 5;

function capped<T>(items: readonly T[], render: (t: T) => string, more: string): string[] {
  const lines = items.slice(0, SHOW).map((t) => `  ${render(t)}`);
  if (items.length > SHOW) lines.push(`  … ${items.length - SHOW} more ${more}`);
  return lines;
}

export function statusLine(s: MatchSummary): string {
  switch (s.status) {
    case "optimal":
      return `status: optimal — total fit ${fit(s.objective)}, proven the best possible (bound ${fit(s.bound!)})`;
    case "feasible":
      return `status: feasible — every rule kept; total fit ${fit(s.objective)}, at most ${fit(s.bound! - s.objective)} below the best possible (bound ${fit(s.bound!)})`;
    case "time_limit":
      return `status: stopped by the time limit — best answer so far: total fit ${fit(s.objective)}; ${Number.isFinite(s.bound) ? `no answer can exceed ${fit(s.bound!)}` : "no bound proven yet"}`;
    case "infeasible":
      return "status: infeasible — no matching keeps every rule";
  }
}

export function summaryText(s: MatchSummary, where: string): string {
  const m = s.mentees;
  const lines: string[] = [
    `mentorflow match — ${where}: ${plural(m.total, "mentee")}, ${plural(s.mentors.total, "mentor")}`,
    statusLine(s),
  ];
  if (s.status === "infeasible") return lines.join("\n");
  lines.push(
    `matched ${m.matched} of ${m.total} mentees (${percent(m.total > 0 ? m.matched / m.total : null)}) in ${plural(m.pairs, "pair")}${m.locked > 0 ? ` (${m.locked} locked)` : ""}`,
    `load by tier: ${s.tiers.map((t) => `${t.tier} ${t.load}/${t.capacity}${t.idle > 0 ? ` (${t.idle} idle)` : ""}`).join(", ")}`,
  );
  if (s.spare.length > 0) {
    lines.push(
      `spare capacity: ${plural(s.mentors.spare, "place")}, ${s.mentors.idle} mentors idle`,
    );
    lines.push(...capped(s.spare, spareText, "groups (see the report)"));
  }
  if (s.unmatchedReasons.length > 0)
    lines.push(
      `unmatched: ${m.unmatched} — ${s.unmatchedReasons.map((r) => `${r.mentees} ${UNMATCHED_WORDS[r.reason]}`).join("; ")}`,
    );
  if (s.demand.length > 0) {
    lines.push("unmet demand (whom to recruit or train):");
    lines.push(...capped(s.demand, demandText, "skills (see the report)"));
  }
  const audit = s.audit;
  const groups = audit.attributes.filter((a) => a.groups.length > 0);
  if (groups.length > 0) {
    lines.push(
      `match rate by group (the ${audit.consent.counted} mentees who consented to analytics; groups under ${audit.minGroupSize} hidden):`,
    );
    for (const a of groups) {
      const shown = a.groups.map(
        (g) => `${g.group ?? "(not stated)"} ${g.matched}/${g.mentees} (${percent(g.matchRate)})`,
      );
      if (a.suppressed.groups > 0) shown.push(`${a.suppressed.groups} hidden`);
      lines.push(`  ${a.attribute}: ${shown.join(", ")}`);
    }
  }
  for (const r of audit.rules) lines.push(`equity: ${r.held ? "held" : "NOT held"} — ${r.message}`);
  for (const e of s.equity) if (!e.enforced) lines.push(`warning: ${e.message}`);
  return lines.join("\n");
}

/** Who blocks an infeasible cohort: the diagnosis, then every minimum no answer can meet. */
export function infeasibleText(s: MatchSummary, diagnosis: string): string {
  const lines = [`No matching can keep every rule: ${diagnosis}`];
  if (s.shortfalls.length > 0) {
    lines.push(`${plural(s.shortfalls.length, "minimum")} no answer can meet:`);
    for (const f of s.shortfalls) lines.push(`  ${shortfallText(f)}`);
  }
  return lines.join("\n");
}
