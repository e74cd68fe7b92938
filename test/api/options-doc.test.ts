/**
 * Every option of the public API is documented with its meaning and its default (issue: options
 * as a contract). Reads the doc comments with the TypeScript checker, inherited options
 * included, so an option added without a word fails here.
 */
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const ENTRIES = ["src/index.ts", "src/score/index.ts", "src/node/index.ts"];
/** A default, said in one of the ways the docs say it. */
const SAYS_DEFAULT = /\bdefault\b|\bdefaults\b|left out|omitted|\bnone\b|absent/i;

function optionsDocs(): { name: string; option: string; doc: string }[] {
  const program = ts.createProgram(
    ENTRIES.map((e) => path.join(root, e)),
    { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022 },
  );
  const checker = program.getTypeChecker();
  const out: { name: string; option: string; doc: string }[] = [];
  const seen = new Set<string>();
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, entry))!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!/Options$/.test(exported.name) || !(symbol.flags & ts.SymbolFlags.Interface)) continue;
      if (seen.has(exported.name)) continue;
      seen.add(exported.name);
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      for (const prop of checker.getPropertiesOfType(type)) {
        const doc = ts.displayPartsToString(prop.getDocumentationComment(checker));
        out.push({ name: exported.name, option: prop.name, doc });
      }
    }
  }
  return out;
}

describe("public options", () => {
  const docs = optionsDocs();
  it("are found (the check reads the real interfaces)", () => {
    const names = new Set(docs.map((d) => d.name));
    for (const name of ["SolveOptions", "MatchOptions", "AuditOptions", "GenerateCohortOptions"])
      expect(names).toContain(name);
  });
  it("each say what they mean and their default", () => {
    const missing = docs
      .filter((d) => d.doc.trim().length < 10 || !SAYS_DEFAULT.test(d.doc))
      .map((d) => `${d.name}.${d.option}: ${JSON.stringify(d.doc)}`);
    expect(missing).toEqual([]);
  });
});
