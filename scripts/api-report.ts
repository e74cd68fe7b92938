/**
 * The API report: what each entry point (`mentorflow`, `mentorflow/scoring`, `mentorflow/node`)
 * exports, with every signature, written by API Extractor to `docs/api/*.api.md` and committed.
 *
 *   npm run api:check    # fails when the public surface differs from the committed report (CI)
 *   npm run api:update   # rewrites the reports; review and commit the diff
 *
 * Declarations are emitted from `src/` first (members tagged `@internal` stripped), so the report
 * shows exactly what a user's type checker sees. A public type that refers to a type no entry
 * exports fails the check (ae-forgotten-export), so nothing internal leaks by reference.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type IConfigFile,
  type ExtractorMessage,
} from "@microsoft/api-extractor";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".cache", "api");
const dts = path.join(cache, "dts");

/** Entry point → the report's name (the package's subpath, as users import it). */
const ENTRIES = [
  { source: "src/index.ts", report: "mentorflow.api.md" },
  { source: "src/score/index.ts", report: "mentorflow-scoring.api.md" },
  { source: "src/node/index.ts", report: "mentorflow-node.api.md" },
] as const;

const update = process.argv.includes("--update");

function emitDeclarations(): void {
  rmSync(dts, { recursive: true, force: true });
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(format([d])) },
  );
  if (!parsed) fail("tsconfig.json could not be read");
  const program = ts.createProgram(
    ENTRIES.map((e) => path.join(root, e.source)),
    {
      ...parsed.options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      stripInternal: true,
      rootDir: path.join(root, "src"),
      outDir: dts,
    },
  );
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) fail(format(diagnostics));
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  });
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function configFor(entry: (typeof ENTRIES)[number]): IConfigFile {
  const dtsEntry = path.join(dts, entry.source.replace(/^src\//, "").replace(/\.ts$/, ".d.ts"));
  return {
    projectFolder: root,
    mainEntryPointFilePath: dtsEntry,
    compiler: { tsconfigFilePath: path.join(root, "tsconfig.json") },
    apiReport: {
      enabled: true,
      reportFileName: entry.report,
      reportFolder: path.join(root, "docs", "api"),
      reportTempFolder: path.join(cache, "report"),
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // No release tags (alpha/beta/public) in this project: every exported name is public.
        "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
        // A public type that refers to an unexported one is a leak: fail (names the package
        // root exports are fine in the subpaths' reports; see `leaks`).
        "ae-forgotten-export": { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
        // Options are checked for their documentation by test/api/options-doc.test.ts; every
        // other field is documented where its name does not say it all.
        "ae-undocumented": { logLevel: ExtractorLogLevel.None },
      },
      // Doc comments are written for people (and TypeDoc), not to the TSDoc grammar.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
}

/** The names the package root exports (from its emitted declarations). */
function rootNames(): Set<string> {
  const file = path.join(dts, "index.d.ts");
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  return new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []);
}

emitDeclarations();
const fromRoot = rootNames();
/** Whether a message is a real leak: a forgotten export in a subpath's report is fine when the
 * package root exports that name (users import it from there). */
const leaks = (entry: (typeof ENTRIES)[number], m: ExtractorMessage): boolean =>
  !(
    m.messageId === "ae-forgotten-export" &&
    entry !== ENTRIES[0] &&
    fromRoot.has(/"([^"]+)"/.exec(m.text)?.[1] ?? "")
  );
mkdirSync(path.join(cache, "report"), { recursive: true });
const changed: string[] = [];
const errors: string[] = [];
for (const entry of ENTRIES) {
  const config = ExtractorConfig.prepare({
    configObject: configFor(entry),
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(root, "package.json"),
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (m: ExtractorMessage) => {
      if (m.logLevel === ExtractorLogLevel.Error || m.logLevel === ExtractorLogLevel.Warning) {
        const where = m.sourceFilePath
          ? `${path.relative(root, m.sourceFilePath)}:${m.sourceFileLine ?? 0}: `
          : "";
        if (!String(m.messageId).startsWith("console-api-report-") && leaks(entry, m))
          errors.push(`${entry.report}: ${where}${m.text} (${m.messageId})`);
      }
      m.handled = true;
    },
  });
  if (result.apiReportChanged) changed.push(entry.report);
}
if (errors.length > 0) fail(`API report: ${errors.length} problem(s)\n${errors.join("\n")}`);
if (changed.length > 0 && !update)
  fail(
    `The public API differs from the committed report (${changed.join(", ")}).\n` +
      `If the change is meant: npm run api:update, review the diff in docs/api/, and commit it.\n` +
      `The new report is in ${path.relative(root, path.join(cache, "report"))}/.`,
  );
process.stdout.write(
  update && changed.length > 0
    ? `API report updated: ${changed.join(", ")} (review and commit docs/api/)\n`
    : "API report: the public surface matches docs/api/\n",
);
