/**
 * A match's results as CSV for spreadsheets, from its `MatchSummary`: one row per pair
 * (`writeMatchesCsv`) and one per unmatched mentee (`writeUnmatchedCsv`); and `recommend`'s
 * suggestions, one row per suggestion (`writeRecommendationsCsv`); and a re-match's pairs, kept,
 * added and ended, one row each (`writeRematchCsv`). UTF-8 text with a byte
 * order mark and a header; cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return) get a leading `'`, which the project's CSV reader removes again, so ids
 * round-trip. Fits are written to four decimals; the JSON result keeps the exact values.
 */
import type { RecommendResult } from "../lifecycle/recommend.js";
import type { RematchResult } from "../lifecycle/rematch.js";
import type { MatchSummary } from "../report/summary.js";
import { blockedText, fitPartText, UNMATCHED_WORDS } from "../report/format.js";
import { escapeFormula, quote } from "./csv-format.js";

/** Columns of the matches CSV. */
export const MATCHES_COLUMNS = ["mentee", "mentor", "tier", "fit", "reasons", "locked"] as const;
/** Columns of the unmatched CSV. */
export const UNMATCHED_COLUMNS = [
  "mentee",
  "reason",
  "explanation",
  "eligible_mentors",
  "ruled_out",
  "top_skill",
] as const;

/** Columns of the recommendations CSV. */
export const RECOMMENDATIONS_COLUMNS = [
  "mentee",
  "rank",
  "mentor",
  "tier",
  "fit",
  "reasons",
] as const;

/** Columns of the re-match CSV. */
export const REMATCH_COLUMNS = ["mentee", "mentor", "change", "reason", "fit"] as const;

/** The parts of a suggestion's fit the recommendations CSV shows, largest first. */
const RECOMMENDATION_REASONS = 3;

function cell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number(value.toFixed(4)).toString();
  if (typeof value === "boolean") return String(value);
  return quote(escapeFormula(value));
}

/** A byte order mark first, so that Excel (which reads a CSV without one in the system's code
 * page) shows non-ASCII ids and "×" as written; the project's reader skips it. */
const BOM = "\uFEFF";

function table(header: readonly string[], rows: (string | number | boolean | null)[][]): string {
  return BOM + [header.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n";
}

/** One row per pair: mentee, mentor, tier, fit, the largest parts of the fit, locked. */
export function writeMatchesCsv(summary: MatchSummary): string {
  return table(
    MATCHES_COLUMNS,
    summary.pairs.map((p) => [
      p.mentee,
      p.mentor,
      p.tier,
      p.fit,
      p.reasons.map(fitPartText).join("; "),
      p.locked,
    ]),
  );
}

/** One row per unmatched mentee: the reason (code and words), how many mentors are eligible,
 * the rules that ruled the others out, and the skill of the largest weighted gap. */
export function writeUnmatchedCsv(summary: MatchSummary): string {
  return table(
    UNMATCHED_COLUMNS,
    summary.unmatched.map((u) => [
      u.mentee,
      u.reason,
      UNMATCHED_WORDS[u.reason],
      u.eligibleMentors,
      blockedText(u.blockedBy),
      u.topSkill,
    ]),
  );
}

/** One row per suggestion, mentees by id and each mentee's suggestions by rank: mentee, rank,
 * mentor, tier, fit, the largest parts of the fit. A mentee without suggestions has no row (the
 * JSON result says why, in `short`). */
export function writeRecommendationsCsv(result: RecommendResult): string {
  return table(
    RECOMMENDATIONS_COLUMNS,
    result.mentees.flatMap((e) =>
      e.suggestions.map((s) => [
        e.mentee,
        s.rank,
        s.mentor,
        s.tier,
        s.fit,
        s.breakdown.slice(0, RECOMMENDATION_REASONS).map(fitPartText).join("; "),
      ]),
    ),
  );
}

/** One row per pair of the re-match and per previous pair it ended, by mentee then mentor:
 * change `kept`, `added` (reason: replacement, was_unmatched, new_mentee, additional) or `ended`
 * (reason: mentor_left, mentee_left, dissolved — with its note —, ineligible — with the rule —,
 * moved); the fit of the pairs in the answer. */
export function writeRematchCsv(result: RematchResult): string {
  const added = new Map(result.added.map((a) => [`${a.mentee}\u0000${a.mentor}`, a.reason]));
  const rows: (string | number | null)[][] = [
    ...result.pairs.map((p) => [
      p.mentee,
      p.mentor,
      added.has(`${p.mentee}\u0000${p.mentor}`) ? "added" : "kept",
      added.get(`${p.mentee}\u0000${p.mentor}`) ?? "",
      p.score,
    ]),
    ...result.ended.map((e) => [
      e.mentee,
      e.mentor,
      "ended",
      [e.reason, e.rule, e.note].filter((x) => x !== undefined).join(": "),
      null,
    ]),
  ];
  rows.sort((a, b) =>
    a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0,
  );
  return table(REMATCH_COLUMNS, rows);
}
