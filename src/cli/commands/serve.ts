/**
 * `mentorflow serve`: the HTTP JSON service (docs/SERVICE.md) until SIGINT or SIGTERM, then a
 * graceful stop — new work refused, running jobs given `--grace` seconds, the rest cancelled.
 */
import { once } from "node:events";
import { CliFailure, EXIT, type CliIO } from "../io.js";

export interface ServeArgs {
  readonly host?: string;
  readonly port?: number;
  readonly bodyLimit?: number;
  readonly syncMax?: number;
  readonly threads?: number;
  readonly maxQueue?: number;
  readonly jobTimeLimit?: number;
  readonly maxMemory?: number;
  readonly grace?: number;
  readonly quiet?: boolean;
  /** The package's version, for the OpenAPI document. */
  readonly version?: string;
}

/** Resolves on the first SIGINT or SIGTERM. */
async function stopSignal(): Promise<string> {
  const controller = new AbortController();
  const [signal] = await Promise.race([
    once(process, "SIGINT", { signal: controller.signal }).then(() => ["SIGINT"]),
    once(process, "SIGTERM", { signal: controller.signal }).then(() => ["SIGTERM"]),
  ]);
  controller.abort();
  return signal;
}

export async function serveCommand(
  io: CliIO,
  args: ServeArgs,
  stopped: () => Promise<string> = stopSignal,
): Promise<number> {
  // Loaded here: the other commands never load the server framework.
  const { createService, DEFAULT_SERVICE_OPTIONS } = await import("../../service/server.js");
  const service = await createService({
    host: args.host,
    port: args.port,
    bodyLimitMb: args.bodyLimit,
    syncMaxBytes: args.syncMax === undefined ? undefined : Math.round(args.syncMax * 1024),
    threads: args.threads,
    maxQueue: args.maxQueue,
    jobTimeLimitMs: args.jobTimeLimit === undefined ? undefined : args.jobTimeLimit * 1000,
    maxMemoryMb: args.maxMemory,
    log: args.quiet === true ? undefined : io.stderr,
    version: args.version,
  });
  let address: string;
  try {
    address = await service.listen();
  } catch (e) {
    await service.close(0);
    throw new CliFailure(
      `Cannot listen on ${args.host ?? DEFAULT_SERVICE_OPTIONS.host}:${args.port ?? DEFAULT_SERVICE_OPTIONS.port}: ${e instanceof Error ? e.message : String(e)}`,
      EXIT.error,
    );
  }
  io.err(`mentorflow serving on ${address} (routes: ${address}/openapi.json); Ctrl-C stops\n`);
  const signal = await stopped();
  const grace = args.grace ?? 30;
  io.err(`${signal}: stopping (running jobs get ${grace} s to finish)\n`);
  await service.close(grace * 1000);
  io.err("stopped\n");
  return EXIT.ok;
}
