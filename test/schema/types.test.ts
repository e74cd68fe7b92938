/**
 * The public cohort types (src/schema/types.ts, written out for the API) are exactly what the
 * schemas take and give: a drift in either fails the type check (`npm run typecheck`), and this
 * file's runtime test keeps vitest from reporting it empty.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type {
  CohortInputSchema,
  EquityRuleSchema,
  MenteeSchema,
  MentorSchema,
  ProgramSchema,
  RulesSchema,
  ScoringSchema,
  ScoringWeightsSchema,
  SkillSchema,
  StrategySchema,
  TierSchema,
} from "../../src/schema/input.js";
import type * as T from "../../src/schema/types.js";

describe("public cohort types", () => {
  it("equal the schemas' input types", () => {
    expectTypeOf<T.SkillInput>().toEqualTypeOf<z.input<typeof SkillSchema>>();
    expectTypeOf<T.StrategyInput>().toEqualTypeOf<z.input<typeof StrategySchema>>();
    expectTypeOf<T.MenteeInput>().toEqualTypeOf<z.input<typeof MenteeSchema>>();
    expectTypeOf<T.MentorInput>().toEqualTypeOf<z.input<typeof MentorSchema>>();
    expectTypeOf<T.TierInput>().toEqualTypeOf<z.input<typeof TierSchema>>();
    expectTypeOf<T.EquityRuleInput>().toEqualTypeOf<z.input<typeof EquityRuleSchema>>();
    expectTypeOf<T.ProgramInput>().toEqualTypeOf<z.input<typeof ProgramSchema>>();
    expectTypeOf<T.CohortInput>().toEqualTypeOf<z.input<typeof CohortInputSchema>>();
  });
  it("equal the schemas' output types", () => {
    expectTypeOf<T.ScoringWeights>().toEqualTypeOf<z.output<typeof ScoringWeightsSchema>>();
    expectTypeOf<T.ScoringOptions>().toEqualTypeOf<z.output<typeof ScoringSchema>>();
    expectTypeOf<T.Rules>().toEqualTypeOf<z.output<typeof RulesSchema>>();
    expectTypeOf<T.EquityRule>().toEqualTypeOf<z.output<typeof EquityRuleSchema>>();
    expectTypeOf<T.Program>().toEqualTypeOf<z.output<typeof ProgramSchema>>();
  });
});
