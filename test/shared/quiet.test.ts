/**
 * Library code says what it has to say through its results, errors and `onProgress`, never on
 * the console: a debug print left in src/ would write into every caller's output.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src", import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(path)));
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

describe("src/", () => {
  it("writes nothing to the console", async () => {
    const found: string[] = [];
    for (const file of await sources(src)) {
      const lines = (await readFile(file, "utf8")).split("\n");
      lines.forEach((line, k) => {
        if (/\bconsole\s*\.\s*\w+\s*\(/.test(line)) found.push(`${file}:${k + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
