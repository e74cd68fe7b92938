/**
 * `renderMatchReport`: every section is there, every number shown is the summary's (formatted by
 * the report's one formatting module), nothing is fetched, hostile text is escaped, suppressed
 * groups stay hidden, and results without proven pairs still render. The HTML is read with
 * regular expressions (no DOM library in the project).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  InputError,
  match,
  parseCohort,
  summarizeMatch,
  type MatchSummary,
} from "../../src/index.js";
import type { CohortInput } from "../../src/schema/types.js";
import { cohortFilesIn, readCohortInputFromFiles } from "../../src/node/index.js";
import { MAX_TABLE_ROWS, renderMatchReport } from "../../src/report/html.js";
import {
  escapeHtml,
  formatCount,
  formatDuration,
  formatFit,
  formatShare,
  formatSignedFit,
  NONE,
} from "../../src/report/format.js";

const EXAMPLES = path.resolve(import.meta.dirname, "../../examples/data");

/** The sections, by id and heading, in order (written out here so that losing one fails). */
const SECTIONS: [string, string][] = [
  ["headline", "Headline"],
  ["fit", "Fit of the pairs"],
  ["load", "Mentor load by tier"],
  ["coverage", "Strategic gap covered by skill"],
  ["demand", "Unmet demand and whom to recruit"],
  ["groups", "Outcomes by group and equity rules"],
  ["unmatched", "Unmatched mentees"],
  ["pairs", "Pairs"],
];

// A minimal reading of the HTML.

function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The text of an HTML fragment as a browser shows it (tags dropped, spaces collapsed). */
function text(html: string): string {
  return decode(
    html.replace(/<br>|<\/(h1|h2|h3|p|li|ul|div|dt|dd|td|th|tr)>/g, " ").replace(/<[^>]*>/g, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
}

function section(html: string, id: string): string {
  const all = [
    ...html.matchAll(new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`, "g")),
  ];
  expect(all, `section #${id}`).toHaveLength(1);
  return all[0][1];
}

/** The body rows of the tables of class `cls` in a fragment, each as its cells' text (notes
 * under a row left out). */
function rows(fragment: string, cls: string): string[][] {
  const tables = [
    ...fragment.matchAll(new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`, "g")),
  ];
  expect(tables.length, `table.${cls}`).toBeGreaterThan(0);
  const out: string[][] = [];
  for (const t of tables) {
    const body = t[1].replace(/<thead>[\s\S]*?<\/thead>/, "");
    for (const tr of body.matchAll(/<tr( class="[^"]*")?>([\s\S]*?)<\/tr>/g)) {
      if (tr[1]?.includes("row-note")) continue;
      out.push([...tr[2].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => text(c[1])));
    }
  }
  return out;
}

/** Headline numbers by key. */
function stats(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of section(html, "headline").matchAll(
    /<div class="stat" data-stat="(\w+)"><dt>[\s\S]*?<\/dt><dd>([\s\S]*?)<\/dd><\/div>/g,
  ))
    out[m[1]] = text(m[2]);
  return out;
}

async function exampleInput(): Promise<CohortInput> {
  const read = await readCohortInputFromFiles(cohortFilesIn(EXAMPLES));
  expect(read.issues).toEqual([]);
  return read.input;
}

function summaryOf(input: CohortInput, options?: Parameters<typeof match>[1]): MatchSummary {
  const cohort = parseCohort(input);
  return summarizeMatch(cohort, match(cohort, options));
}

let input: CohortInput;
let summary: MatchSummary;
let html: string;

beforeAll(async () => {
  input = await exampleInput();
  summary = summaryOf(input);
  html = renderMatchReport(summary, { cohort: "data" });
});

describe("escapeHtml", () => {
  it("escapes the five characters HTML gives a meaning to, and control characters", () => {
    expect(escapeHtml(`<script>alert(1)</script>`)).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escapeHtml(`a & b "c" 'd'`)).toBe("a &amp; b &quot;c&quot; &#39;d&#39;");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
    expect(escapeHtml("x\u0000y\u001Fz\tw\n")).toBe("x\uFFFDy\uFFFDz\tw\n");
    expect(escapeHtml("plain, é ✓")).toBe("plain, é ✓");
  });
});

describe("the report's numbers", () => {
  it("are rounded for people the same way on every machine", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatFit(144.25000000000003)).toBe("144.25");
    expect(formatFit(-1234.5)).toBe("\u22121,234.50");
    expect(formatFit(-0.001)).toBe("0.00");
    expect(formatFit(null)).toBe(NONE);
    expect(formatSignedFit(0.4)).toBe("+0.40");
    expect(formatSignedFit(-0.25)).toBe("\u22120.25");
    expect(formatShare(0.21875)).toBe("21.9%");
    expect(formatShare(1)).toBe("100.0%");
    expect(formatDuration(29.07)).toBe("29 ms");
    expect(formatDuration(13_980)).toBe("13.98 s");
  });
});

describe("renderMatchReport on examples/data", () => {
  it("is one HTML document with every section, its id and its heading, in order", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    let last = -1;
    for (const [id, title] of SECTIONS) {
      section(html, id);
      const at = html.indexOf(`<section id="${id}"`);
      expect(at, id).toBeGreaterThan(last);
      last = at;
      expect(html).toContain(`<h2 id="${id}-title">${title}</h2>`);
    }
    expect(html.match(/<section /g)).toHaveLength(SECTIONS.length);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).toMatch(/@media print/);
  });

  it("is the same page every time (no date unless given)", () => {
    expect(renderMatchReport(summary, { cohort: "data" })).toBe(html);
    const dated = renderMatchReport(summary, { generatedAt: "2025-05-01T10:00:00Z" });
    expect(dated).toContain("2025-05-01T10:00:00Z");
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("shows the headline numbers of the summary", () => {
    const m = summary.mentees;
    const s = stats(html);
    expect(s.status).toBe("Optimal");
    expect(s.matched).toBe(
      `${formatCount(m.matched)} of ${formatCount(m.total)} ${formatShare(m.matched / m.total)}`,
    );
    expect(s.unmatched).toBe(formatCount(m.unmatched));
    expect(s.pairs).toBe(formatCount(m.pairs));
    expect(s.objective).toBe(formatFit(summary.objective));
    expect(s.bound).toBe(formatFit(summary.bound));
    const gap = summary.bound! - summary.objective;
    expect(s.gap).toBe(`${formatFit(gap)} ${formatShare(gap / summary.bound!)}`);
    expect(s.idle).toBe(
      `${formatCount(summary.mentors.idle)} of ${formatCount(summary.mentors.total)}`,
    );
    expect(s.spare).toBe(
      `${formatCount(summary.mentors.spare)} of ${formatCount(summary.mentors.capacity)} places`,
    );
    expect(s.time).toBe(formatDuration(summary.timeMs));
    // The example's own numbers, so a wrong formatter cannot pass by agreeing with itself.
    expect(s.matched).toBe("28 of 40 70.0%");
    expect(s.objective).toBe("144.25");
  });

  it("draws one histogram bar per bin, the bins holding every pair", () => {
    const fit = section(html, "fit");
    expect(fit.match(/<svg /g)).toHaveLength(1);
    const counts = [...fit.matchAll(/<rect class="bin" data-count="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(summary.pairs.length);
  });

  it("shows each tier's load, capacity, spare places, mentors and idle mentors", () => {
    const got = rows(section(html, "load"), "bars tiers");
    expect(got.map((r) => [r[0], r[2], r[3], r[4], r[5], r[6], r[7]])).toEqual(
      summary.tiers.map((t) => [
        t.tier,
        formatCount(t.load),
        formatCount(t.capacity),
        formatShare(t.load / t.capacity),
        formatCount(t.spare),
        formatCount(t.mentors),
        formatCount(t.idle),
      ]),
    );
    // A bar per tier, with the capacity outline.
    expect(section(html, "load").match(/<rect class="capacity"/g)).toHaveLength(
      summary.tiers.length,
    );
  });

  it("shows each skill's share of the weighted gap covered, largest gap first", () => {
    const got = rows(section(html, "coverage"), "bars skills");
    const expected = [...summary.skills]
      .sort((a, b) => b.weightedGap - a.weightedGap || a.skill.localeCompare(b.skill))
      .map((k) => [k.skill, formatShare(k.share), formatFit(k.covered), formatFit(k.weightedGap)]);
    expect(got.map((r) => [r[0], r[2], r[3], r[4]])).toEqual(expected);
    expect(got[0][0]).toBe("security");
  });

  it("says what is unmet and whom to recruit, from the summary's groups", () => {
    const demand = text(section(html, "demand"));
    for (const d of summary.demand) {
      const n = d.mentees.length;
      expect(demand).toContain(
        `${n} ${n === 1 ? "mentee needs" : "mentees need"} help in ${d.skill}`,
      );
    }
    expect(demand).toContain(
      "3 mentees need help in leadership (any tier): 2 have no eligible mentor; for 1, no eligible mentor has room.",
    );
    expect(demand).toContain(
      "1 senior mentor with room could teach it but lacks training mentor-basics.",
    );
    expect(demand).toContain(
      "1 senior mentor with room (1 idle, 2 places spare) lacks training mentor-basics.",
    );
    expect(demand).toContain(
      "3 peer mentors with room (0 idle, 3 places spare) had eligible mentees",
    );
  });

  it("shows each shown group's outcomes as the audit gives them, and the hidden count", () => {
    const groups = section(html, "groups");
    const a = summary.audit;
    expect(a.all).not.toBeNull();
    for (const attr of a.attributes) {
      const block = groups.match(
        new RegExp(`<div class="attribute" data-attribute="${attr.attribute}">([\\s\\S]*?)</div>`),
      );
      expect(block, attr.attribute).not.toBeNull();
      const got = rows(block![1], "groups");
      const row = (label: string, g: (typeof attr.groups)[number]) => [
        label,
        formatCount(g.mentees),
        formatCount(g.matched),
        formatShare(g.matchRate),
        formatCount(g.pairs),
        formatFit(g.meanFit),
        formatShare(g.gapCovered),
      ];
      expect(got).toEqual([
        row("All counted", a.all!),
        ...attr.groups.map((g) => row(g.group ?? "Not stated", g)),
      ]);
      if (attr.suppressed.groups > 0)
        expect(text(block![1])).toContain(
          `${attr.suppressed.groups} groups hidden (${attr.suppressed.mentees} mentees together)`,
        );
    }
    expect(text(groups)).toContain(
      `count the ${a.consent.counted} mentees who gave analytics consent; ${a.consent.excluded} mentees who did not are left out`,
    );
  });

  it("lists every equity rule with what match did and whether it held", () => {
    const got = rows(section(html, "groups"), "rules");
    expect(got).toHaveLength(summary.equity.length);
    for (const [i, r] of summary.equity.entries()) {
      const audit = summary.audit.rules[i];
      expect(got[i].slice(0, 6)).toEqual([
        String(i),
        r.kind,
        r.enforced ? "enforced" : "NOT enforced",
        audit.held ? "held" : expect.stringMatching(/^broken/),
        expect.any(String),
        expect.any(String),
      ]);
    }
    expect(text(section(html, "groups"))).toContain(summary.equity[0].message);
  });

  it("has a row per unmatched mentee and per pair, with the summary's values", () => {
    const unmatched = rows(section(html, "unmatched"), "unmatched");
    expect(unmatched.map((r) => [r[0], r[2], r[4]])).toEqual(
      summary.unmatched.map((u) => [u.mentee, formatCount(u.eligibleMentors), u.topSkill ?? NONE]),
    );
    const pairs = rows(section(html, "pairs"), "pairs");
    expect(pairs).toHaveLength(summary.pairs.length);
    expect(pairs.map((r) => r.slice(0, 4))).toEqual(
      summary.pairs.map((p) => [p.mentee, p.mentor, p.tier, formatFit(p.fit)]),
    );
    const first = summary.pairs[0];
    expect(pairs[0][4]).toBe(
      first.reasons
        .map((r) => `${r.part.replace(/^skill:/, "")} ${formatSignedFit(r.value)}`)
        .join(", "),
    );
    expect(pairs[0][4]).toBe("leadership +4.00, aspiration +0.40, crossDepartment +0.30");
  });

  it("requests nothing from anywhere", () => {
    expect(html).not.toMatch(
      /(src|href|xlink:href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i,
    );
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|image|use|video|audio|source)\b/i);
    expect(html).not.toMatch(/@import/i);
    for (const m of html.matchAll(/url\(\s*(['"]?)([^)'"]*)/gi)) expect(m[2]).toMatch(/^data:/);
    for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)) expect(m[1]).toMatch(/^#/);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
    );
  });
});

describe("renderMatchReport on hostile text", () => {
  const EVIL = `<script>alert(1)</script>&"'`;
  const tagged = (id: string) => `${EVIL}${id}`;

  /** Every id, skill, tier, label and attribute name of the summary, made hostile. */
  function hostile(s: MatchSummary): MatchSummary {
    const keys = new Set([
      "mentee",
      "mentor",
      "tier",
      "skill",
      "topSkill",
      "group",
      "attribute",
      "detail",
      "id",
      "message",
      "part",
      "kind",
      "rule",
      "cause",
      "reason",
    ]);
    const walk = (v: unknown, key: string): unknown => {
      if (typeof v === "string") return keys.has(key) ? tagged(v) : v;
      if (Array.isArray(v))
        return v.map((x) =>
          walk(
            x,
            key === "mentees" || key === "mentors" || key === "tiers" || key === "groups"
              ? key.slice(0, -1)
              : key,
          ),
        );
      if (v !== null && typeof v === "object")
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      return v;
    };
    return walk(s, "") as MatchSummary;
  }

  it("escapes ids, skills, tiers, group labels, attributes, details, messages and options", () => {
    const evil = hostile(summary);
    expect(evil.pairs[0].mentee).toBe(tagged(summary.pairs[0].mentee));
    expect(evil.spare.at(-1)!.mentors[0]).toBe(tagged(summary.spare.at(-1)!.mentors[0]));
    const page = renderMatchReport(evil, { title: EVIL, cohort: EVIL, generatedAt: EVIL });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain(EVIL);
    expect(page).toContain(escapeHtml(EVIL));
    // Every `<` left opens a tag the report writes (the hostile text added none).
    const tags =
      /<\/?(html|head|meta|title|style|body|header|h1|h2|h3|p|strong|em|time|nav|ol|ul|li|a|main|section|dl|div|dt|dd|span|figure|svg|line|text|rect|table|thead|tbody|tr|th|td|code|br)(\s[^<>]*)?>/g;
    expect(page.replace(tags, "").replace(/^<!doctype html>/, "")).not.toContain("<");
    // Every attribute value is closed where the report closes it.
    for (const tag of page.match(/<[a-z][^<>]*>/g)!)
      expect(tag, tag).toMatch(/^<[a-z0-9]+(\s+[a-zA-Z0-9:-]+(="[^"<>]*")?)*\s*\/?>$/);
    // And the text reads as given.
    expect(text(section(page, "pairs"))).toContain(tagged(summary.pairs[0].mentee));
    expect(text(section(page, "groups"))).toContain(tagged(summary.audit.attributes[0].attribute));
    // (`cause` too: an unknown cause is shown as it is, with its detail.)
    expect(text(section(page, "demand"))).toContain(
      `${tagged("training")} (${tagged("mentor-basics")})`,
    );
  });
});

describe("renderMatchReport keeps what the audit hides hidden", () => {
  it("a group smaller than minGroupSize appears nowhere", () => {
    const label = "Zq-only-one";
    const mentees = input.mentees.map((e, i) =>
      i === 0
        ? { ...e, sensitive: { ...e.sensitive, region: label }, consent: { analytics: true } }
        : e,
    );
    const s = summaryOf({ ...input, mentees });
    const region = s.audit.attributes.find((a) => a.attribute === "region")!;
    expect(region.groups.map((g) => g.group)).not.toContain(label);
    expect(region.suppressed.groups).toBeGreaterThan(0);
    const page = renderMatchReport(s);
    expect(page).not.toContain(label);
    // The groups the audit does show are there.
    for (const g of region.groups) expect(page).toContain(`<td>${escapeHtml(g.group ?? "")}</td>`);
  });
});

describe("renderMatchReport on results without proven pairs", () => {
  it("renders an infeasible result, says so, and lists the minimum no one can meet", () => {
    const mentors = input.mentors.map((m) =>
      m.id === "m004" ? { ...m, capacity: 3, minLoad: 3 } : m,
    );
    const s = summaryOf({ ...input, mentors });
    expect(s.status).toBe("infeasible");
    expect(s.shortfalls.length).toBeGreaterThan(0);
    const page = renderMatchReport(s);
    expect(stats(page).status).toBe("Infeasible");
    expect(stats(page).bound).toBe(NONE);
    expect(text(section(page, "headline"))).toContain("No assignment meets the program");
    expect(text(section(page, "fit"))).toBe("Fit of the pairs No pairs.");
    expect(text(section(page, "pairs"))).toBe("Pairs No pairs.");
    expect(text(section(page, "demand"))).toContain(
      "Mentor m004 needs at least 3 mentees, but only 0 are eligible",
    );
    for (const [id] of SECTIONS) section(page, id);
  });

  it("renders a stopped solve and says so", () => {
    const controller = new AbortController();
    controller.abort();
    const s = summaryOf(input, { signal: controller.signal });
    expect(s.status).toBe("time_limit");
    const page = renderMatchReport(s);
    expect(stats(page).status).toBe("Stopped early");
    expect(text(section(page, "headline"))).toContain(
      "The solve hit its time limit or was stopped",
    );
    if (s.pairs.length === 0) expect(text(section(page, "pairs"))).toBe("Pairs No pairs.");
    else expect(rows(section(page, "pairs"), "pairs")).toHaveLength(s.pairs.length);
    expect(rows(section(page, "unmatched"), "unmatched")).toHaveLength(s.unmatched.length);
  });

  it("shows a rule that was not enforced as such", () => {
    const s: MatchSummary = {
      ...summary,
      equity: summary.equity.map((r, i) =>
        i === 1 ? { ...r, enforced: false, message: "program.equity[1] was not enforced." } : r,
      ),
    };
    const page = renderMatchReport(s);
    expect(rows(section(page, "groups"), "rules")[1][2]).toBe("NOT enforced");
    expect(text(section(page, "headline"))).toContain("1 equity rule was not enforced");
    expect(text(section(html, "headline"))).not.toContain("not enforced");
  });
});

describe("renderMatchReport on long tables", () => {
  it(`shows the first ${MAX_TABLE_ROWS} pairs and says how many were left out`, () => {
    const n = MAX_TABLE_ROWS + 345;
    const pairs = Array.from({ length: n }, (_, i) => ({
      ...summary.pairs[i % summary.pairs.length],
      mentee: `x${String(i).padStart(5, "0")}`,
    }));
    const s: MatchSummary = { ...summary, pairs, mentees: { ...summary.mentees, pairs: n } };
    const page = renderMatchReport(s);
    const got = rows(section(page, "pairs"), "pairs");
    expect(got).toHaveLength(MAX_TABLE_ROWS);
    expect(got.at(-1)![0]).toBe(pairs[MAX_TABLE_ROWS - 1].mentee);
    expect(text(section(page, "pairs"))).toContain(
      `Showing the first ${formatCount(MAX_TABLE_ROWS)} of ${formatCount(n)} pairs; 345 left out`,
    );
    expect(text(section(html, "pairs"))).not.toContain("left out");
  });
});

describe("renderMatchReport's arguments", () => {
  it("rejects what is not a summary, and unknown or mistyped options, with InputError", () => {
    expect(() => renderMatchReport({} as MatchSummary)).toThrow(InputError);
    expect(() => renderMatchReport(null as unknown as MatchSummary)).toThrow(/summarizeMatch/);
    expect(() => renderMatchReport(summary, { titel: "x" } as never)).toThrow(/titel/);
    expect(() => renderMatchReport(summary, { title: 3 } as never)).toThrow(InputError);
    expect(renderMatchReport(summary, { title: "Spring round" })).toContain(
      "<h1>Spring round</h1>",
    );
  });
});
