/** The impact report: a self-contained page (no script, no request), every section, the
 * figures as computed, hidden groups without a number, text escaped, the same page each time. */
import { describe, expect, it } from "vitest";
import {
  generateCohort,
  match,
  parseCohort,
  programImpact,
  type CohortInput,
} from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { renderImpactReport, IMPACT_SECTIONS } from "../../src/report/impact-html.js";
import { formatShare } from "../../src/report/format.js";

function impact() {
  const g = generateCohort({ mentees: 150, mentors: 40, seed: 21, equity: false });
  const input: CohortInput = {
    ...g,
    mentees: g.mentees.map((e, k) => ({
      ...e,
      consent: { analytics: true },
      // Three mentees in a group of their own, under a label that needs escaping.
      ...(k < 3 ? { sensitive: { ...e.sensitive, gender: "<b>&Y" } } : {}),
    })),
  };
  const cohort = parseCohort(input);
  const result = match(cohort);
  const records = generateProgramRecords(cohort, result, { months: 18, seed: 21 });
  return programImpact(cohort, result, records);
}

describe("impact report", () => {
  const p = impact();
  const html = renderImpactReport(p, { cohort: "demo <program>" });

  it("is one self-contained page: no script, no request, a content security policy, every section", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain("Content-Security-Policy");
    for (const s of IMPACT_SECTIONS) expect(html).toContain(`<section id="${s.id}"`);
    expect(renderImpactReport(p, { cohort: "demo <program>" })).toBe(html);
  });

  it("shows the figures as computed, and a chart per series and curve", () => {
    const c = p.scorecard.cohort;
    for (const x of [c.gapClosed, c.engagement, c.retention.atHorizon, c.independence.byHorizon])
      expect(html).toContain(formatShare(x));
    const lines = (html.match(/<path class="line /g) ?? []).length;
    expect(lines).toBe(2 * (1 + p.trajectories.tiers.length));
    expect((html.match(/<polygon class="band /g) ?? []).length).toBeGreaterThan(3);
    const test = p.curves.retention.matched.test!;
    expect(html).toContain(`χ² = ${test.chiSquare.toFixed(2)} on ${test.df} df`);
  });

  it("escapes text, and a hidden group shows its label only", () => {
    expect(html).toContain("demo &lt;program&gt;");
    expect(html).not.toContain("<b>&Y");
    const gender = p.scorecard.groups.find((g) => g.attribute === "gender")!;
    const hidden = gender.groups.filter((g) => g.hidden);
    expect(hidden.map((g) => g.label)).toContain("<b>&Y");
    const row = html.match(/<tr><td>&lt;b&gt;&amp;Y<\/td>(.*?)<\/tr>/)?.[1] ?? "";
    expect(row).toContain("hidden");
    expect(row).not.toMatch(/\d%/);
    expect(html).not.toContain("&lt;b&gt;&amp;Y (n =");
  });
});
