/**
 * Shows index-building progress in the terminal, so a long first build never looks stuck: a
 * cli-progress bar per stage on a TTY, a line per stage otherwise (logs, CI). Stages that finish
 * quickly (checking that the index is current) show nothing.
 */
import cliProgress from "cli-progress";
import type { Progress } from "../vectors/types.ts";

export interface ProgressDisplay {
  onProgress: Progress;
  stop(): void;
}

/** How long a stage runs before it is shown. */
const SHOW_AFTER_MS = 300;

export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  let current: { name: string; done: number; total: number; since: number; shown: boolean } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let bar: cliProgress.SingleBar | undefined;

  const show = () => {
    if (!current || current.done >= current.total) return;
    current.shown = true;
    if (stream.isTTY) {
      bar = new cliProgress.SingleBar(
        { stream, format: `${current.name.padEnd(14)} [{bar}] {value}/{total}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(current.total, current.done);
    } else {
      stream.write(`${current.name}…\n`);
    }
  };
  const finish = () => {
    clearTimeout(timer);
    bar?.stop();
    bar = undefined;
    // A stage that kept the event loop busy the whole time could not show itself while running.
    if (current && !current.shown && Date.now() - current.since >= SHOW_AFTER_MS) {
      stream.write(`${current.name}: done in ${((Date.now() - current.since) / 1000).toFixed(1)} s\n`);
    }
  };

  return {
    onProgress(name, done, total) {
      if (name !== current?.name) {
        finish();
        current = { name, done, total, since: Date.now(), shown: false };
        timer = setTimeout(show, SHOW_AFTER_MS);
        timer.unref();
      }
      current.done = done;
      current.total = total;
      if (bar) {
        if (total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      finish();
      current = undefined;
    },
  };
}
