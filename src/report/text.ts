/**
 * Words and numbers for people, rendered from a `MatchSummary`'s data: the one place the CLI
 * summary, the results CSVs and the HTML report take their sentences and rounding from. The
 * data keep the exact values; only what is shown is rounded.
 */
import type { UnmatchedMenteeReason } from "../match/types.js";
import type { IneligibleReason } from "../score/eligibility.js";
import type { DemandGroup, FitPart, Shortfall, SpareCause, SpareGroup } from "./summary.js";

/** A fit or a total fit: two decimals. */
export function fit(x: number): string {
  return x.toFixed(2);
}

/** A share 0..1 as a percentage with one decimal. */
export function percent(x: number | null): string {
  return x === null ? "—" : `${(100 * x).toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const UNMATCHED_WORDS: Readonly<Record<UnmatchedMenteeReason, string>> = {
  no_eligible_mentor: "no eligible mentor",
  mentors_full: "eligible mentors are full with pairs that fit better",
  no_fit: "no eligible mentor with room covers any of their strategic gaps",
  max_mentors_zero: "asked for no mentor",
  stopped_early: "not placed before the time limit",
  equity_rules: "equity rules chose other pairs (an eligible mentor with room exists)",
};

export const RULE_WORDS: Readonly<Record<IneligibleReason, string>> = {
  self: "the same person",
  forbidden: "a forbidden pair",
  excluded: "excluded by one of them",
  same_reporting_line: "the same reporting line",
  repeat_pair: "paired before",
  no_capacity: "no capacity",
  no_demand: "the mentee wants no mentor",
  tier_not_wanted: "a tier the mentee does not want",
  level_gap: "the level gap of the tier",
  training: "training the tier requires",
  tenure: "the tier's minimum tenure",
  hours: "the tier's minimum hours",
  timezone: "time zones too far apart",
  language: "no shared language",
  min_fit: "fit below the minimum",
};

/** "leadership +4.00" for a skill part, "timezone +0.07" for a term. */
export function partText(p: FitPart): string {
  const name = p.part.startsWith("skill:") ? p.part.slice("skill:".length) : p.part;
  return `${name} ${p.value >= 0 ? "+" : "−"}${fit(Math.abs(p.value))}`;
}

/** "level_gap ×10, min_fit ×1". */
export function blockedText(blocked: readonly { rule: string; mentors: number }[]): string {
  return blocked.map((b) => `${b.rule} ×${b.mentors}`).join(", ");
}

/** Why mentors with room stayed so, after the cause's detail. */
export function causeText(cause: SpareCause, detail: string | null): string {
  switch (cause) {
    case "training":
      return `missing training ${detail}`;
    case "tenure":
      return `tenure ${detail}`;
    case "hours":
      return `hours ${detail}`;
    case "no_eligible_mentee":
      return `no eligible mentee (mostly ${detail ? (RULE_WORDS[detail as IneligibleReason] ?? detail) : "other rules"})`;
    case "placed_elsewhere":
      return "their eligible mentees were placed with mentors who fit better";
    case "stopped_early":
      return "the solve stopped before placing their eligible mentees";
  }
}

const tierText = (tiers: readonly string[] | null) =>
  tiers === null ? "any tier" : `${tiers.join(" or ")} tier`;

/** "8 senior mentors with room (3 idle): missing training mentor-basics". */
export function spareText(g: SpareGroup): string {
  const idle =
    g.idle === g.mentors.length
      ? " idle"
      : g.idle > 0
        ? ` with room (${g.idle} idle)`
        : " with room";
  return `${plural(g.mentors.length, `${g.tier} mentor`)}${idle}, ${g.spare} ${g.spare === 1 ? "place" : "places"} free: ${causeText(g.cause, g.detail)}`;
}

/** "3 mentees need help in leadership (any tier): 2 with no eligible mentor, 1 whose eligible
 * mentors are full; 1 senior mentor with room could teach it but is missing training …". */
export function demandText(d: DemandGroup): string {
  const parts: string[] = [];
  if (d.noEligibleMentor > 0) parts.push(`${d.noEligibleMentor} with no eligible mentor`);
  if (d.mentorsFull > 0) parts.push(`${d.mentorsFull} whose eligible mentors are full`);
  const teach = d.couldTeach.map(
    (c) =>
      `${plural(c.mentors, `${c.tier} mentor`)} with room could teach it but ${c.mentors === 1 ? "is" : "are"} ruled out: ${causeText(c.cause, c.detail)}`,
  );
  const head = `${plural(d.mentees.length, "mentee")} need${d.mentees.length === 1 ? "s" : ""} help in ${d.skill} (${tierText(d.tiers)}): ${parts.join(", ")}`;
  return teach.length > 0
    ? `${head}; ${teach.join("; ")}`
    : `${head}; no mentor with room can teach it — recruit`;
}

/** "mentor m005 needs 2 mentees (minLoad) but 0 are eligible: missing training …". */
export function shortfallText(s: Shortfall): string {
  const what = s.side === "mentor" ? "mentees (minLoad)" : "mentors (minMentors)";
  const why =
    s.rule === null
      ? ""
      : s.detail !== null && (s.rule === "training" || s.rule === "tenure" || s.rule === "hours")
        ? `: ${causeText(s.rule, s.detail)}`
        : `: mostly ruled out by ${RULE_WORDS[s.rule]} (${s.rule})`;
  return `${s.side} ${s.id} needs ${s.needed} ${what} but ${s.eligible} ${s.eligible === 1 ? "is" : "are"} eligible${why}`;
}
