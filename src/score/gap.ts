/**
 * Strategy-weighted skill-gap coverage: the core of the pair score.
 *
 * For mentee i, mentor j and skill k (proficiencies on the program's scale):
 *
 *   gap_ik     = max(0, target_ik − current_ik)                  how far the mentee wants to go
 *   covered_ijk = min(gap_ik, max(0, expertise_jk − current_ik))  how much of it j can teach
 *   p_ik       = strategic priority of k for i's business unit  (>= 0)
 *
 *   absolute   G_ij = Σ_k p_ik · covered_ijk
 *   normalized G_ij = Σ_k p_ik · covered_ijk / W_i,   W_i = Σ_k p_ik · gap_ik   (0 when W_i = 0)
 *
 * Absolute sends scarce senior time where the weighted gap is largest; normalized is the share
 * (0..1) of the mentee's own weighted gap the mentor covers, so every mentee counts the same.
 * Only skills with p_ik > 0 and gap_ik > 0 can contribute: those are the mentee's "active" skills.
 * See docs/SCORING.md for a worked example.
 */
import type { ScoringView } from "../cohort/types.js";

/** gap = max(0, target − current). */
export function skillGap(current: number, target: number): number {
  const g = target - current;
  return g > 0 ? g : 0;
}

/** covered = min(gap, max(0, expertise − current)): the part of the gap a mentor with this
 * expertise can cover. Never negative, never more than the gap, non-decreasing in expertise. */
export function skillCovered(current: number, target: number, expertise: number): number {
  const g = skillGap(current, target);
  const e = expertise - current;
  if (e <= 0) return 0;
  return e < g ? e : g;
}

/** Strategic priority of skill k for mentee i (resolved through the mentee's business unit;
 * falls back to the organization-wide row when the view has no unit row). */
export function menteePriority(view: ScoringView, i: number, k: number): number {
  const S = view.nSkills;
  const row = view.mentees.unit[i] * S;
  const byUnit = view.priorities.byUnit;
  return row + S <= byUnit.length ? byUnit[row + k] : view.priorities.global[k];
}

/** W_i = Σ_k p_ik · gap_ik: the mentee's total strategy-weighted gap (the normalized form's
 * denominator). */
export function weightedGap(view: ScoringView, i: number): number {
  const S = view.nSkills;
  const cur = view.mentees.current;
  const tgt = view.mentees.target;
  let w = 0;
  for (let k = 0; k < S; k++) {
    const p = menteePriority(view, i, k);
    if (p > 0) w += p * skillGap(cur[i * S + k], tgt[i * S + k]);
  }
  return w;
}

/** One skill's share of a pair's gap term. */
export interface SkillContribution {
  /** Skill index (`CohortIndex.skillIds[skill]`). */
  readonly skill: number;
  /** The mentee's gap on this skill. */
  readonly gap: number;
  /** How much of that gap the mentor covers. */
  readonly covered: number;
  /** Strategic priority of the skill for the mentee's unit. */
  readonly priority: number;
  /** What this skill adds to the score: weights.gap · priority · covered (÷ W_i when normalized). */
  readonly contribution: number;
}

/**
 * Per-skill breakdown of the gap term for pair (i, j), one entry per skill on which the mentee
 * has a gap (zero-priority skills included, with contribution 0), in skill order. The
 * contributions sum to the gap term of the score (the same left-to-right sum the scorer does).
 * `gapWeight` is `view.scoring.weights.gap`.
 */
export function gapBreakdown(
  view: ScoringView,
  i: number,
  j: number,
): { readonly term: number; readonly weightedGap: number; readonly skills: SkillContribution[] } {
  const S = view.nSkills;
  const cur = view.mentees.current;
  const tgt = view.mentees.target;
  const exp = view.mentors.expertise;
  const wGap = view.scoring.weights.gap;
  const W = weightedGap(view, i);
  const normalized = view.scoring.form === "normalized";
  // Scale per unit of priority × covered; the scorer precomputes the same factor per skill.
  const skills: SkillContribution[] = [];
  let term = 0;
  for (let k = 0; k < S; k++) {
    const c = cur[i * S + k];
    const gap = skillGap(c, tgt[i * S + k]);
    if (gap <= 0) continue;
    const priority = menteePriority(view, i, k);
    const covered = skillCovered(c, tgt[i * S + k], exp[j * S + k]);
    let contribution = 0;
    if (priority > 0 && covered > 0) {
      const factor = normalized ? (W > 0 ? (wGap * priority) / W : 0) : wGap * priority;
      contribution = factor * covered;
      term += contribution;
    }
    skills.push({ skill: k, gap, covered, priority, contribution });
  }
  return { term, weightedGap: W, skills };
}

/** The gap term of pair (i, j) alone: weights.gap · G_ij in the program's form. */
export function gapTerm(view: ScoringView, i: number, j: number): number {
  return gapBreakdown(view, i, j).term;
}
