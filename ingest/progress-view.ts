/**
 * Stage progress for the terminal: a cli-progress bar per stage on a TTY, plain lines otherwise
 * (logs, CI), so a long ingest never looks stuck.
 */
import cliProgress from "cli-progress";
import type { Progress } from "../vectors/types.ts";

export interface ProgressView {
  onProgress: Progress;
  log: (msg: string) => void;
  stop: () => void;
}

export function progressView(stream: NodeJS.WriteStream = process.stdout): ProgressView {
  return stream.isTTY ? barView(stream) : lineView(stream);
}

function barView(stream: NodeJS.WriteStream): ProgressView {
  const multi = new cliProgress.MultiBar(
    { stream, format: "{stage} |{bar}| {value}/{total}", hideCursor: true, clearOnComplete: false, stopOnComplete: false, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  let stage: string | undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(name, done, total) {
      if (name !== stage) {
        bar?.update(bar.getTotal());
        stage = name;
        bar = multi.create(Math.max(total, 1), done, { stage: name.padEnd(12) });
      }
      if (bar!.getTotal() !== Math.max(total, 1)) bar!.setTotal(Math.max(total, 1));
      bar!.update(done);
    },
    log: (msg) => multi.log(`${msg}\n`),
    stop: () => {
      bar?.update(bar.getTotal());
      multi.stop();
    },
  };
}

function lineView(stream: NodeJS.WriteStream): ProgressView {
  let stage: string | undefined;
  let lastShown = -1;
  const write = (s: string) => stream.write(`${s}\n`);
  return {
    onProgress(name, done, total) {
      // Show a stage's start, every tenth of the way, and its end.
      const step = Math.floor((done / Math.max(total, 1)) * 10);
      if (name !== stage || step > lastShown || done === total) {
        if (name === stage && done === total && lastShown === 10) return;
        stage = name;
        lastShown = step;
        write(`[${name}] ${done}/${total}`);
      }
    },
    log: write,
    stop: () => {},
  };
}
