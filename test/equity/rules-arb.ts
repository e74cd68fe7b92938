/**
 * Equity rules for property tests against the MIP oracle: the kinds that cut across mentors, on
 * the generator's attributes. `mild` keeps to the first three kinds and loose parameters (most
 * cohorts keep them), for tests about something else than the rules' infeasibility.
 */
import fc from "fast-check";
import type { EquityRuleInput } from "../../src/schema/input.js";

export function equityRuleArb(o: { mild?: boolean } = {}): fc.Arbitrary<EquityRuleInput> {
  const common = [
    fc.record({
      kind: fc.constant("proportionalTierAccess" as const),
      attribute: fc.constantFrom("gender", "region"),
      tier: fc.constantFrom("peer", "senior"),
      tolerance: o.mild
        ? fc.constantFrom(0.05, 0.1, 0.25)
        : fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5),
    }),
    fc.record({
      kind: fc.constant("maxPerMentorPerGroup" as const),
      attribute: fc.constantFrom("gender", "region", "department"),
      max: fc.integer({ min: 1, max: 2 }),
    }),
    fc.record({
      kind: fc.constant("minMatchRate" as const),
      attribute: fc.constantFrom("gender", "region"),
      rate: o.mild ? fc.constantFrom(0.3, 0.5, 0.7) : fc.constantFrom(0.3, 0.5, 0.7, 0.9),
    }),
  ];
  if (o.mild) return fc.oneof(...common);
  return fc.oneof(
    ...common,
    fc.record({
      kind: fc.constant("minMatchRate" as const),
      attribute: fc.constantFrom("gender", "region"),
      maxBelowOverall: fc.constantFrom(0, 0.05, 0.1, 0.25),
    }),
    // A reserve for gender F or region amer (the caller sets a label some mentee states).
    fc.record({
      kind: fc.constant("reserve" as const),
      attribute: fc.constantFrom("gender", "region"),
      group: fc.constant(""),
      tier: fc.constantFrom(undefined, "peer", "senior"),
      min: fc.integer({ min: 1, max: 4 }),
    }),
  );
}
