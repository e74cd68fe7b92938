/**
 * `match`'s infeasibility diagnoses: the engine's finding turned into ids (`fromEngine`), and
 * every diagnosis' sentence rendered from its fields alone (`diagnosisMessage`), in the words of
 * a program — mentees, mentors, minMentors, minLoad, locked pairs, equity rules.
 */
import type { Cohort } from "../cohort/types.js";
import type { Scorer } from "../score/scorer.js";
import type { InfeasibilityDiagnosis } from "../solve/types.js";
import type { EquityRelaxation, MatchDiagnosis } from "./types.js";

export type MatchDiagnosisFields = Omit<MatchDiagnosis, "message">;

/** The diagnosis with its `message`. */
export const withMessage = (d: MatchDiagnosisFields): MatchDiagnosis => ({
  ...d,
  message: diagnosisMessage(d),
});

/** Ids for a message: quoted, at most 8, then how many more. */
export function quoteIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 8).map((id) => `"${id}"`);
  return ids.length > 8 ? `${shown.join(", ")} and ${ids.length - 8} more` : shown.join(", ");
}

/** A relaxation in words: "max 2 for program.equity[0] (department)". */
export const relaxationWords = (x: EquityRelaxation): string =>
  `${x.parameter} ${x.value} for program.equity[${x.rule}] (${x.attribute})`;

/** The engine's diagnosis (rows and columns) in mentees' and mentors' ids. */
export function fromEngine(
  cohort: Cohort,
  scorer: Scorer,
  d: InfeasibilityDiagnosis,
): MatchDiagnosis {
  const { menteeIds, mentorIds } = cohort.index;
  const { needed, possible } = d;
  switch (d.kind) {
    case "forced": {
      if (d.conflict !== undefined && d.pair) {
        const [i, j] = d.pair;
        return withMessage({
          kind: "locked",
          conflict: d.conflict,
          mentee: menteeIds[i],
          mentor: mentorIds[j],
          needed,
          possible,
        });
      }
      const who =
        d.side === "col"
          ? { mentor: mentorIds[d.index ?? 0] }
          : { mentee: menteeIds[d.index ?? 0] };
      return withMessage({ kind: "locked", ...who, needed, possible });
    }
    case "row_min": {
      const rows = d.rows ?? (d.index !== undefined ? [d.index] : []);
      // A single mentee found short before solving: its eligible mentors are the ones to name.
      const cols = d.cols ?? eligibleMentors(scorer, d.index ?? 0, mentorIds.length);
      return withMessage({
        kind: "mentee_min",
        ...(d.index !== undefined ? { mentee: menteeIds[d.index] } : {}),
        mentees: rows.map((i) => menteeIds[i]),
        mentors: cols.map((j) => mentorIds[j]),
        // The engine's group finding counts beyond forced pairs; its single-row check does not.
        beyondLocked: d.rows !== undefined,
        needed,
        possible,
      });
    }
    case "col_min":
      return withMessage({
        kind: "mentor_min",
        mentor: mentorIds[d.index ?? 0],
        crowded: d.crowded === true,
        needed,
        possible,
      });
    case "total":
      return withMessage({
        kind: "total",
        bound: d.side === "col" ? "minLoad" : "minMentors",
        needed,
        possible,
      });
  }
}

/** Mentee i's eligible mentors, ascending (the scorer lists them as it scores the row). */
function eligibleMentors(scorer: Scorer, i: number, m: number): number[] {
  const eligible = new Int32Array(m);
  const k = scorer.scoreRow(i, new Float64Array(m), undefined, eligible);
  return Array.from(eligible.subarray(0, k));
}

const LOCKED_CONFLICT = {
  repeated: "it is locked twice (a pair can be used once)",
  forbidden: "it is also a forbidden pair",
  not_allowed: "it is not an eligible pair",
} as const;

/** One sentence from a diagnosis' fields: what cannot be met and what would help. */
export function diagnosisMessage(d: MatchDiagnosisFields): string {
  const { needed, possible } = d;
  switch (d.kind) {
    case "locked": {
      if (d.conflict !== undefined)
        return `Locked pair ("${d.mentee}", "${d.mentor}") cannot be kept: ${LOCKED_CONFLICT[d.conflict]}. Remove or change that lock.`;
      const who =
        d.mentor !== undefined
          ? `Mentor "${d.mentor}" has ${needed} locked pairs but a capacity of ${possible}`
          : `Mentee "${d.mentee}" has ${needed} locked pairs but maxMentors ${possible}`;
      return `${who}. Remove a lock or raise the bound.`;
    }
    case "mentee_min": {
      const mentors = d.mentors ?? [];
      const eligible = mentors.length ? quoteIds(mentors) : "none";
      return d.beyondLocked
        ? `Mentees ${quoteIds(d.mentees ?? [])} need at least ${needed} mentors in all (minMentors, beyond locked pairs), but the only mentors eligible for them (${eligible}) can take ${possible}. Lower a minMentors, raise a capacity, or widen eligibility.`
        : `Mentee ${quoteIds(d.mentees ?? [])} needs at least ${needed} mentors (minMentors, locked pairs included), but only ${possible} can be theirs (eligible: ${eligible}). Lower that minMentors or widen eligibility.`;
    }
    case "mentor_min":
      return d.crowded
        ? `Mentor "${d.mentor}" needs at least ${needed} mentees (minLoad), but only ${possible} can be given to them with every other rule kept. Lower that minLoad or widen eligibility.`
        : `Mentor "${d.mentor}" needs at least ${needed} mentees (minLoad), but only ${possible} are eligible for them. Lower that minLoad or widen eligibility.`;
    case "total":
      return d.bound === "minLoad"
        ? `Mentor minLoads need ${needed} pairs in all (beyond locked ones), but the mentees can take at most ${possible}. Lower the minimums or add capacity.`
        : `Mentee minMentors need ${needed} pairs in all (beyond locked ones), but the mentors can take at most ${possible}. Lower the minimums or add capacity.`;
    case "equity":
      return equityMessage(d);
  }
}

function equityMessage(d: MatchDiagnosisFields): string {
  const rules = d.rules ?? [];
  const names = rules.map((k, at) => `program.equity[${k}] (${d.ruleKinds?.[at]})`).join(", ");
  const head = `No assignment keeps ${names || "the equity rules"} together with the capacities, minimums, eligibility and locked pairs`;
  const fixes = (d.relaxations ?? []).map(relaxationWords);
  if (d.cap === undefined)
    return `${head}: the search's multipliers bound every such assignment's total below 0. The closest assignment found is ${d.needed} pair(s) short of or over those rules. ${fixes.length > 0 ? `Any one of these would do (the smallest found): ${fixes.join("; ")}.` : "Relax a tolerance or a cap, or add capacity in the tier."}`;
  const mentees = d.mentees ?? [];
  const mentors = d.mentors ?? [];
  const counted = d.needed > 0 || d.possible > 0;
  const short =
    mentees.length > 0
      ? `mentees ${quoteIds(mentees)} need ${d.needed} pair(s), and their mentors${mentors.length > 0 ? ` (${quoteIds(mentors)})` : ""} can take at most ${d.possible} of them`
      : mentors.length > 0
        ? `mentors ${quoteIds(mentors)} need ${d.needed} mentee(s) and can get at most ${d.possible}`
        : `the cohort needs ${d.needed} pair(s) and can get at most ${d.possible}`;
  return `${head}: ${counted ? `with at most ${d.cap} of one group per mentor, ${short}` : "the flow with the cap in it has no assignment, though no single mentor or group of mentees explains it by counting"}. ${fixes.length > 0 ? `This would do (the smallest found): ${fixes.join("; ")}.` : "Raise the cap, lower a minimum load or minMentors, or unlock a pair."}`;
}
