/**
 * A program's impact in one call (docs/IMPACT.md): the scorecard, the monthly trajectories, the
 * survival curves by group and the calibration of the score, from one follow-up of the records —
 * the plain-JSON input of the impact report (src/report/impact-html.ts) and of
 * `mentorflow impact --json`.
 */
import type { Cohort } from "../cohort/types.js";
import { calibrate, type Calibration, type CalibrationOptions } from "./calibration.js";
import { outcomeCurves, type OutcomeCurves, type OutcomeCurvesOptions } from "./curves.js";
import type { FollowUp, ImpactMatch } from "./followup.js";
import type { ProgramRecords } from "./records.js";
import { followUpFor, scorecard, type Scorecard } from "./scorecard.js";
import { trajectories, type Trajectories } from "./trajectories.js";

export interface ProgramImpact {
  readonly scorecard: Scorecard;
  readonly trajectories: Trajectories;
  readonly curves: OutcomeCurves;
  readonly calibration: Calibration;
}

export interface ProgramImpactOptions extends OutcomeCurvesOptions {
  /** The calibration's folds, penalties, resamples and seed (default: `calibrate`'s defaults). */
  readonly calibration?: CalibrationOptions;
}

/** The scorecard, trajectories, survival curves and calibration of `result` (a match of
 * `cohort`) from the records after it, or their follow-up read for this cohort and result. The
 * records are checked once: an `InputError` with every issue. */
export function programImpact(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords | FollowUp,
  options: ProgramImpactOptions = {},
): ProgramImpact {
  const f = followUpFor(cohort, result, records);
  const card = scorecard(cohort, result, f, options);
  return {
    scorecard: card,
    trajectories: trajectories(cohort, result, f, options),
    curves: outcomeCurves(cohort, result, f, options),
    calibration: calibrate(cohort, result, card, options.calibration),
  };
}
