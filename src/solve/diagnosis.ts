/**
 * The engine's infeasibility diagnoses as data (`InfeasibilityDiagnosis`): what each finding
 * knows, and its sentence rendered from those fields alone. `match` renders its own sentence, in
 * mentees and mentors, from the same fields (src/match/diagnosis.ts); nothing rewrites text.
 */
import type { ForcedConflict, InfeasibilityDiagnosis } from "./types.js";

export type DiagnosisFields = Omit<InfeasibilityDiagnosis, "message">;

/** The diagnosis with its `message`. */
export const diagnosed = (d: DiagnosisFields): InfeasibilityDiagnosis => ({
  ...d,
  message: engineMessage(d),
});

const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;

const list = (a: readonly number[]) =>
  a.length > 12 ? `${a.slice(0, 12).join(", ")} … (${a.length})` : a.join(", ");

/** How a forced pair contradicts the problem, as a verb phrase ("is forced twice …"). */
export const FORCED_CONFLICT_WORDS: Record<ForcedConflict, string> = {
  repeated: "is forced twice (a pair can be used once)",
  forbidden: "is both forced and forbidden",
  not_allowed: "is forced but not an allowed pair",
};

/** One sentence, in rows and columns, from the diagnosis' fields. */
export function engineMessage(d: DiagnosisFields): string {
  switch (d.kind) {
    case "forced": {
      if (d.conflict !== undefined && d.pair)
        return `Pair (row ${d.pair[0]}, column ${d.pair[1]}) ${FORCED_CONFLICT_WORDS[d.conflict]}.`;
      const what = d.side === "col" ? "Column" : "Row";
      const bound = d.side === "col" ? "colMax" : "rowMax";
      return `${what} ${d.index} has ${d.needed} forced pairs but ${bound} ${d.possible}.`;
    }
    case "row_min":
      if (d.rows === undefined)
        return `Row ${d.index} needs at least ${d.needed} pairs but has only ${plural(d.possible, "allowed column")}.`;
      return `${d.rows.length === 1 ? `Row ${d.rows[0]} needs` : `Rows ${list(d.rows)} need`} at least ${d.needed} pairs (beyond forced ones), but the only columns they may use (${list(d.cols ?? []) || "none"}) can take ${d.possible}.`;
    case "col_min":
      return d.crowded
        ? `Column ${d.index} needs at least ${d.needed} rows, but together with the other bounds only ${d.possible} can be given to it.`
        : `Column ${d.index} needs at least ${d.needed} rows but only ${plural(d.possible, "row")} may pair with it.`;
    case "total":
      return d.side === "col"
        ? `Column minimums need ${d.needed} pairs in all (beyond forced ones), but the rows can take at most ${d.possible}.`
        : `Row minimums need ${d.needed} pairs in all (beyond forced ones), but the columns can take at most ${d.possible}.`;
  }
}
