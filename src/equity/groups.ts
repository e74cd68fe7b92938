/**
 * Mentee groups by one attribute, for equity rules and fairness reports (never for scores): a
 * sensitive attribute (`Cohort.sensitive`), or the person fields `department` / `unit`, which
 * those names always mean (docs/MODEL.md).
 */
import type { Cohort } from "../cohort/types.js";

export interface MenteeGroups {
  readonly attribute: string;
  /** Group labels, sorted; `code[i]` indexes them, −1 when mentee i does not state the attribute. */
  readonly labels: readonly string[];
  readonly code: Int32Array;
}

export function menteeGroups(cohort: Cohort, attribute: string): MenteeGroups {
  const { index, view, sensitive } = cohort;
  if (attribute === "department")
    return { attribute, labels: index.departments, code: view.mentees.department };
  if (attribute === "unit") return { attribute, labels: index.units, code: view.mentees.unit };
  const a = sensitive.attributes.indexOf(attribute);
  if (a < 0) return { attribute, labels: [], code: new Int32Array(view.mentees.count).fill(-1) };
  return { attribute, labels: sensitive.mentees[a].groups, code: sensitive.mentees[a].code };
}
