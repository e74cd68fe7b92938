/**
 * What the cohort benches share: `--name value` options, sizes such as `1000x200,5000x1000`,
 * timing a call, medians and milliseconds in words.
 */
/** The command line after the script's name. */
export const argv = process.argv.slice(2);

/** The value after `--name`, or `dflt`. */
export const arg = (name: string, dflt: string): string => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 && argv[k + 1] !== undefined ? argv[k + 1] : dflt;
};

/** Whether `--name` is given. */
export const flag = (name: string): boolean => argv.includes(`--${name}`);

/** `--sizes 1000x200,5000x1000` as [mentees, mentors] pairs. */
export const sizesArg = (dflt: string): number[][] =>
  arg("sizes", dflt)
    .split(",")
    .map((s) => s.split("x").map(Number));

export const median = (a: number[]): number =>
  [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

export const fmtMs = (ms: number): string =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;

/** A call's result and its time in milliseconds. */
export const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};
