/**
 * The HTML report in a real browser: match a cohort folder, write the report to
 * `.cache/report/report.html`, then let headless Chromium take a screenshot of it (`report.png`)
 * and print it to PDF (`report.pdf`), to look at both. Not part of CI (it needs Chromium:
 * `apt-get install -y chromium` on Debian).
 *
 *   npm run report:check                          # examples/data
 *   npm run report:check -- --dir my/cohort       # a folder with mentees.csv, mentors.csv, config.json
 *   npm run report:check -- --height 9000         # a taller screenshot
 *   npm run report:check -- --impact              # the impact report of a generated 24-month
 *                                                 # history after the match (impact.html, …)
 *
 * Fails (exit 1) when Chromium is missing or fails, or when the screenshot or the PDF is empty.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { inflateSync } from "node:zlib";
import { generateProgramRecords } from "../src/generate/history.js";
import { match, programImpact, summarizeMatch } from "../src/index.js";
import {
  cohortFilesIn,
  loadCohort,
  renderImpactReport,
  renderMatchReport,
} from "../src/node/index.js";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    dir: { type: "string", default: path.join(root, "examples", "data") },
    out: { type: "string", default: path.join(root, ".cache", "report") },
    width: { type: "string", default: "1200" },
    height: { type: "string", default: "4000" },
    impact: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`report:check: ${message}\n`);
  process.exit(1);
}

function findChromium(): string {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const r = spawnSync(name, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return name;
  }
  return fail(
    "Chromium not found (tried chromium, chromium-browser, google-chrome). On Debian: apt-get install -y chromium",
  );
}

function runChromium(browser: string, args: string[], url: string): void {
  const r = spawnSync(
    browser,
    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", ...args, url],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (r.error) fail(`${browser} failed: ${r.error.message}`);
  if (r.status !== 0) fail(`${browser} exited with ${r.status}:\n${r.stderr}`);
}

/** Width, height and whether the pixels differ at all (a blank page is one colour). */
function checkPng(file: string): { width: number; height: number } {
  const buf = readFileSync(file);
  const signature = "89504e470d0a1a0a";
  if (buf.length < 33 || buf.subarray(0, 8).toString("hex") !== signature)
    fail(`${file} is not a PNG (${buf.length} bytes)`);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= buf.length;) {
    const len = buf.readUInt32BE(at);
    if (buf.toString("latin1", at + 4, at + 8) === "IDAT")
      idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < pixels.length && seen.size < 8; i += 97) seen.add(pixels[i]);
  if (width === 0 || height === 0 || seen.size < 3)
    fail(`${file} is empty (${width} × ${height}, ${seen.size} distinct byte values)`);
  return { width, height };
}

const dir = path.resolve(values.dir!);
const out = path.resolve(values.out!);
mkdirSync(out, { recursive: true });
const name = values.impact ? "impact" : "report";
const html = path.join(out, `${name}.html`);
const png = path.join(out, `${name}.png`);
const pdf = path.join(out, `${name}.pdf`);

const { cohort } = await loadCohort(cohortFilesIn(dir));
const result = match(cohort);
const summary = summarizeMatch(cohort, result);
if (values.impact) {
  const records = generateProgramRecords(cohort, result, { months: 24, seed: 1 });
  const impact = programImpact(cohort, result, records);
  writeFileSync(html, renderImpactReport(impact, { cohort: path.basename(dir) }));
} else {
  writeFileSync(html, renderMatchReport(summary, { cohort: path.basename(dir) }));
}

const browser = findChromium();
const url = pathToFileURL(html).href;
rmSync(png, { force: true });
rmSync(pdf, { force: true });
runChromium(
  browser,
  [`--screenshot=${png}`, `--window-size=${values.width},${values.height}`],
  url,
);
runChromium(browser, [`--print-to-pdf=${pdf}`, "--no-pdf-header-footer"], url);

const size = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
if (size(png) === 0) fail(`${browser} wrote no screenshot to ${png}`);
const { width, height } = checkPng(png);
const pdfText = size(pdf) > 0 ? readFileSync(pdf, "latin1") : "";
if (!pdfText.startsWith("%PDF")) fail(`${browser} wrote no PDF to ${pdf}`);
const pages = pdfText.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;

process.stdout.write(
  [
    `report:   ${path.relative(root, html)} (${Math.round(size(html) / 1024)} KiB, ${summary.mentees.pairs} pairs, status ${summary.status})`,
    `picture:  ${path.relative(root, png)} (${width} × ${height})`,
    `printed:  ${path.relative(root, pdf)} (${pages} page${pages === 1 ? "" : "s"}, ${Math.round(size(pdf) / 1024)} KiB)`,
    "",
  ].join("\n"),
);
