/**
 * The Python client of docs/SERVICE.md (examples/python/client.py, standard library only) against
 * the real service on a loopback port. Skipped, saying so, where python3 is not installed.
 */
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createService, type Service } from "../../src/service/server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = (() => {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!python) console.warn("python3 is not installed: the Python client test is skipped");

let service: Service | undefined;
afterAll(async () => service?.close(0));

describe.skipIf(!python)("the Python client", () => {
  it("validates, matches (in the request and as a job), explains, and reads issues", async () => {
    service = await createService({ port: 0 });
    const url = await service.listen();
    const { stdout } = await promisify(execFile)(
      "python3",
      ["examples/python/client.py", url, "examples/data/cohort.json"],
      { cwd: root },
    );
    expect(stdout.split("\n")).toEqual([
      "valid: True, 40 mentees, 12 mentors",
      "match: optimal, total fit 144.25, 28 pairs, 12 unmatched",
      "as a job: optimal, same total: True",
      expect.stringMatching(/^e\d+ with m\d+: fit \d+\.\d\d$/),
      "broken cohort: 422 invalid_input",
      "  invalid_type at ['mentees', 0, 'level']: Invalid type: expected level to be a number, received string",
      "",
    ]);
  }, 60_000);
});
