/**
 * The fuzz progress display, and the host clock behind `--time-budget`. With `src/bench` this is
 * the only code that reads the host's clock: what it measures never reaches a run, a trace or a
 * repro, only the screen and the decision to hand out no more seeds.
 *
 * On a terminal: one bar redrawn in place (seeds done, seeds/s, failures, ETA). Elsewhere (CI logs,
 * pipes): a plain line at every 10% of the seeds.
 */

/** Milliseconds of host time since it was made. */
export class Stopwatch {
  private readonly startMs = performance.now();
  elapsedMs(): number {
    return performance.now() - this.startMs;
  }
}

export interface Progress {
  /** One seed finished (pass or fail). */
  seedDone(failed: boolean): void;
  /** Prints a line above the bar (or plainly), without garbling it. */
  log(line: string): void;
  /** Clears the bar; the caller prints the final line next. */
  finish(): void;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export function startProgress(total: number, write: (text: string) => void, tty: boolean, clock = new Stopwatch()): Progress {
  let done = 0;
  let failures = 0;
  let nextTenth = 1;
  let lastDrawMs = -REDRAW_MS;
  let drawn = false;
  const rate = (): number => (clock.elapsedMs() > 0 ? (done * 1_000) / clock.elapsedMs() : 0);
  const status = (): string => {
    const r = rate();
    const eta = r > 0 && total > done ? `${Math.ceil((total - done) / r)}s` : "-";
    return `${done}/${total} seeds  ${r.toFixed(1)} seeds/s  failures=${failures}  eta ${eta}`;
  };
  const draw = (): void => {
    const filled = total === 0 ? BAR_WIDTH : Math.floor((done * BAR_WIDTH) / total);
    write(`\r\x1b[K[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${status()}`);
    drawn = true;
    lastDrawMs = clock.elapsedMs();
  };
  const clear = (): void => {
    if (drawn) write("\r\x1b[K");
    drawn = false;
  };
  return {
    seedDone(failed) {
      done++;
      if (failed) failures++;
      if (tty) {
        if (clock.elapsedMs() - lastDrawMs >= REDRAW_MS || done === total) draw();
        return;
      }
      // Plain lines: one each time another tenth of the seeds is done.
      if (total > 0 && done * 10 >= nextTenth * total) {
        while (done * 10 >= nextTenth * total) nextTenth++;
        write(`progress: ${Math.floor((done * 100) / total)}% ${status()}\n`);
      }
    },
    log(line) {
      if (!tty) return write(`${line}\n`);
      clear();
      write(`${line}\n`);
      draw();
    },
    finish() {
      if (tty) clear();
    },
  };
}
