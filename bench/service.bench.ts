/**
 * The HTTP service under load, on loopback: `npm run build && npm run bench:service` (or `npx tsx
 * bench/service.bench.ts [--requests 400] [--concurrency 8] [--large 20000x4000]`).
 *
 * Starts the built `mentorflow serve` as a process of its own (port 0, one thread for large
 * bodies, the quick lane's one thread for small ones) and sends, with `--concurrency` clients:
 *
 *   A  `--requests` small matches alone (8 seeded cohorts of 200 × 50, in turn);
 *   B  the same small matches while one large job runs: a `--large` cohort posted at the start
 *      (a 202 job, polled to its end); small requests go on until the large job has ended and
 *      `--requests` have been answered, bounded by `--max-seconds`;
 *   C  the large job alone, for comparison.
 *
 * Throughout, a probe asks `/healthz` every 20 ms: its slowest answer is the longest the
 * service's event loop stopped answering. Every answer is checked against its request: status
 * 200 and the objective and pair count the library gives for that request's cohort (computed
 * here beforehand), so an answer lost, crossed or doubled would fail the run. Reports
 * throughput, latency percentiles of the small matches, the health probe's worst, the large
 * job's time, and the server's peak memory (VmHWM from /proc: Linux).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, fmtMs } from "./cli.js";

const built = pathToFileURL(join(import.meta.dirname, "..", "dist", "node.js")).href;
const mf = (await import(built)) as typeof import("../src/node/index.js");
const cli = join(import.meta.dirname, "..", "dist", "cli.js");

const requests = Number(arg("requests", "400"));
const concurrency = Number(arg("concurrency", "8"));
const maxSeconds = Number(arg("max-seconds", "180"));
const [bigM, bigN] = arg("large", "20000x4000").split("x").map(Number);

/** The small cohorts, their bodies, and what the library answers for each. */
const smalls = Array.from({ length: 8 }, (_, k) => {
  const input = mf.generateCohort({ mentees: 200, mentors: 50, seed: 100 + k });
  const result = mf.match(mf.parseCohort(input));
  return { body: JSON.stringify(input), objective: result.objective, pairs: result.pairs.length };
});

const server = spawn(process.execPath, [cli, "serve", "--port", "0", "--threads", "1", "-q"], {
  stdio: ["ignore", "ignore", "pipe"],
});
const base = await new Promise<string>((resolve, reject) => {
  let text = "";
  server.stderr!.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    const found = /serving on (http:\/\/\S+)/.exec(text);
    if (found) resolve(found[1]);
  });
  server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/match`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Small matches with `concurrency` clients until `more()` says stop; each answer checked. */
async function smallLoad(more: (sent: number) => boolean) {
  const latencies: number[] = [];
  let sent = 0;
  let wrong = 0;
  const client = async () => {
    while (more(sent)) {
      const k = sent++;
      const expect = smalls[k % smalls.length];
      const t0 = performance.now();
      const response = await post(expect.body);
      const result = (await response.json()) as { objective?: number; pairs?: unknown[] };
      latencies.push(performance.now() - t0);
      const ok =
        response.status === 200 &&
        Math.abs(result.objective! - expect.objective) <= 1e-9 * Math.max(1, expect.objective) &&
        result.pairs!.length === expect.pairs;
      if (!ok) wrong++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  return { latencies, sent, wrong, seconds: (performance.now() - t0) / 1000 };
}

/** /healthz every 20 ms while `running()`: the slowest answer. */
async function probe(running: () => boolean) {
  let worst = 0;
  let count = 0;
  while (running()) {
    const t0 = performance.now();
    await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
    worst = Math.max(worst, performance.now() - t0);
    count++;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { worst, count };
}

function report(name: string, r: Awaited<ReturnType<typeof smallLoad>>, health: { worst: number }) {
  const l = r.latencies;
  console.log(
    `${name}: ${r.sent} small matches in ${r.seconds.toFixed(1)} s = ${(r.sent / r.seconds).toFixed(1)}/s; ` +
      `latency p50 ${fmtMs(percentile(l, 50))}, p90 ${fmtMs(percentile(l, 90))}, p99 ${fmtMs(percentile(l, 99))}, max ${fmtMs(Math.max(...l))}; ` +
      `answers wrong or missing: ${r.wrong + (r.sent - l.length)}; /healthz worst ${fmtMs(health.worst)}`,
  );
}

console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}; ${concurrency} clients; server ${base}`,
);
// Warm-up: both lanes' threads started and compiled.
await smallLoad((sent) => sent < 16);

// A: small matches alone.
let aRunning = true;
const aHealth = probe(() => aRunning);
const a = await smallLoad((sent) => sent < requests);
aRunning = false;
report("A  small alone", a, await aHealth);

// B: the same while one large job runs.
const largeBody = JSON.stringify(mf.generateCohort({ mentees: bigM, mentors: bigN, seed: 1 }));
const tLarge = performance.now();
const accepted = await post(largeBody);
const acceptMs = performance.now() - tLarge;
if (accepted.status !== 202)
  throw new Error(`large job: ${accepted.status} ${await accepted.text()}`);
const { id } = (await accepted.json()) as { id: string };
let largeDone = false;
let largeState = "";
const poll = (async () => {
  const deadline = performance.now() + maxSeconds * 1000;
  while (performance.now() < deadline) {
    const job = (await (await fetch(`${base}/v1/jobs/${id}`)).json()) as {
      state: string;
      result?: { status: string; pairs: unknown[] };
    };
    if (job.state !== "queued" && job.state !== "running") {
      largeState = `${job.state}${job.result ? ` (${job.result.status}, ${job.result.pairs.length} pairs)` : ""}`;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  largeDone = true;
  return (performance.now() - tLarge) / 1000;
})();
const bHealth = probe(() => !largeDone);
const b = await smallLoad((sent) => sent < requests || !largeDone);
const largeSeconds = await poll;
report("B  small + large", b, await bHealth);
console.log(
  `   large ${bigM.toLocaleString("en-US")} × ${bigN.toLocaleString("en-US")} (${(largeBody.length / 1e6).toFixed(1)} MB): 202 in ${fmtMs(acceptMs)}, ${largeState} after ${largeSeconds.toFixed(1)} s`,
);
console.log(
  `   B / A: p50 ${(percentile(b.latencies, 50) / percentile(a.latencies, 50)).toFixed(2)}×, p99 ${(percentile(b.latencies, 99) / percentile(a.latencies, 99)).toFixed(2)}×`,
);

// C: the large job alone, for comparison.
const tAlone = performance.now();
const alone = (await (await post(largeBody)).json()) as { id: string };
for (;;) {
  const job = (await (await fetch(`${base}/v1/jobs/${alone.id}`)).json()) as { state: string };
  if (job.state !== "queued" && job.state !== "running") break;
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`C  the large job alone: ${((performance.now() - tAlone) / 1000).toFixed(1)} s`);

const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
const peak = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
console.log(`server peak memory (VmHWM): ${peak ? `${(Number(peak) / 1024).toFixed(0)} MB` : "?"}`);
const exited = new Promise((r) => server.on("exit", r));
server.kill("SIGTERM");
await exited;
if (a.wrong + b.wrong > 0) process.exitCode = 1;
