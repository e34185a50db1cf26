/**
 * Stage progress for the terminal: a cli-progress bar per stage on a TTY, plain `[stage] done/total`
 * lines otherwise (logs, CI), so a long ingest never looks stuck. Messages go through the shared
 * logger (log/logger.ts), timestamped; while bars are drawn its lines are written through them so
 * the two never garble each other.
 */
import cliProgress from "cli-progress";
import { lineLogger, redirectLogs, type Logger } from "../log/logger.ts";
import type { Progress } from "../vectors/types.ts";

export interface ProgressView {
  onProgress: Progress;
  /** A message at info level. */
  log: (msg: string) => void;
  /** A message at warn level. */
  warn: (msg: string) => void;
  stop: () => void;
}

export interface ProgressViewOptions {
  /** Where the bars or progress lines go (default stdout). */
  stream?: NodeJS.WriteStream;
  logger: Logger;
  /**
   * Off a terminal, write progress lines as log records (timestamped; JSON with LOG_FORMAT=json), as
   * the server does on stderr beside its log; default: plain lines on `stream` (the ingest CLI's stdout).
   */
  linesToLog?: boolean;
}

export function progressView(opts: ProgressViewOptions): ProgressView {
  const stream = opts.stream ?? process.stdout;
  if (stream.isTTY) return barView(stream, opts.logger);
  const write = opts.linesToLog
    ? (stage: string, done: number, total: number) => opts.logger.info({ stage, done, total }, `[${stage}] ${done}/${total}`)
    : (stage: string, done: number, total: number) => stream.write(`[${stage}] ${done}/${total}\n`);
  return lineView(write, opts.logger);
}

function barView(stream: NodeJS.WriteStream, logger: Logger): ProgressView {
  const multi = new cliProgress.MultiBar(
    { stream, format: "{stage} |{bar}| {value}/{total}", hideCursor: true, clearOnComplete: false, stopOnComplete: false, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  const restore = redirectLogs({ write: (line) => multi.log(line) });
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
    log: lineLogger(logger, "info"),
    warn: lineLogger(logger, "warn"),
    stop: () => {
      bar?.update(bar.getTotal());
      multi.stop();
      restore();
    },
  };
}

function lineView(write: (stage: string, done: number, total: number) => void, logger: Logger): ProgressView {
  let stage: string | undefined;
  let lastShown = -1;
  return {
    onProgress(name, done, total) {
      // Show a stage's start, every tenth of the way, and its end.
      const step = Math.floor((done / Math.max(total, 1)) * 10);
      if (name !== stage || step > lastShown || done === total) {
        if (name === stage && done === total && lastShown === 10) return;
        stage = name;
        lastShown = step;
        write(name, done, total);
      }
    },
    log: lineLogger(logger, "info"),
    warn: lineLogger(logger, "warn"),
    stop: () => {},
  };
}
