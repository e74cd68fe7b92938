/**
 * The entry points are declared in several places that must agree (package.json `exports`, the
 * tsup build, the API report script, the TypeDoc config), and each entry's runtime values must be
 * exactly the values its committed API report lists — so a new subpath or a value whose type
 * annotation hides a change cannot slip past `npm run api:check`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import tsup from "../../tsup.config.js";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** subpath → source file, as each place declares it. */
const SOURCES: Record<string, string> = {
  ".": "src/index.ts",
  "./scoring": "src/score/index.ts",
  "./node": "src/node/index.ts",
};
const REPORTS: Record<string, string> = {
  ".": "docs/api/mentorflow.api.md",
  "./scoring": "docs/api/mentorflow-scoring.api.md",
  "./node": "docs/api/mentorflow-node.api.md",
};

describe("entry points", () => {
  it("are the same in package.json, tsup, the API report script and TypeDoc", () => {
    const pkg = JSON.parse(read("package.json")) as { exports: Record<string, unknown> };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
    expect(subpaths.sort()).toEqual(Object.keys(SOURCES).sort());
    const config = (Array.isArray(tsup) ? tsup[0] : tsup) as { entry: Record<string, string> };
    for (const [subpath, source] of Object.entries(SOURCES)) {
      const name = subpath === "." ? "index" : subpath.slice(2);
      expect(config.entry[name], `tsup entry ${name}`).toBe(source);
      const target = (pkg.exports[subpath] as { import: { default: string } }).import.default;
      expect(target).toBe(`./dist/${name}.js`);
    }
    const script = read("scripts/api-report.ts");
    const listed = [...script.matchAll(/source: "([^"]+)", report: "([^"]+)"/g)].map((m) => [
      m[1],
      `docs/api/${m[2]}`,
    ]);
    expect(listed.sort()).toEqual(
      Object.keys(SOURCES)
        .map((k) => [SOURCES[k], REPORTS[k]])
        .sort(),
    );
    const typedoc = JSON.parse(read("typedoc.json")) as { entryPoints: string[] };
    expect([...typedoc.entryPoints].sort()).toEqual(Object.values(SOURCES).sort());
  });

  for (const [subpath, source] of Object.entries(SOURCES))
    it(`${subpath}: its runtime values are the values its API report lists`, async () => {
      const mod = (await import(path.join(root, source))) as Record<string, unknown>;
      const report = read(REPORTS[subpath]);
      const listed = [
        ...report.matchAll(/^export (?:declare )?(?:function|const|class|let) (\w+)/gm),
      ].map((m) => m[1]);
      expect(Object.keys(mod).sort()).toEqual([...new Set(listed)].sort());
    });
});
