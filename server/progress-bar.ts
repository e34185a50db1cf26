/**
 * Shows index-building progress in the terminal: one cli-progress bar per stage on a TTY, and one
 * line per stage otherwise (logs, CI), so a long first build never looks stuck.
 */
import cliProgress from "cli-progress";
import type { Progress } from "../vectors/types.ts";

export interface ProgressDisplay {
  onProgress: Progress;
  stop(): void;
}

export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  let stage: string | undefined;
  let bar: cliProgress.SingleBar | undefined;
  const finish = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onProgress(name, done, total) {
      if (name !== stage) {
        finish();
        stage = name;
        if (stream.isTTY) {
          bar = new cliProgress.SingleBar(
            { stream, format: `${name.padEnd(18)} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: false },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.max(total, 1), done);
        } else {
          stream.write(`${name}: ${total > 0 ? `${total} steps` : "…"}\n`);
        }
        return;
      }
      if (bar) {
        if (total !== bar.getTotal()) bar.setTotal(Math.max(total, 1));
        bar.update(done);
      }
    },
    stop: finish,
  };
}
