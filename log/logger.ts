/**
 * The one logger (pino) that the server, `npm run ingest` and the start-up progress share: timestamped
 * records on stderr (stdout stays the program's output: the "ready at" line, ingest summaries,
 * --check-config), human-readable by default or one JSON object per line with LOG_FORMAT=json, at
 * LOG_LEVEL and above. Questions' text is never written unless LOG_QUESTIONS=1 (server/http/request-log.ts).
 *
 *   const logger = createLogger(settings.log);
 *   logger.info({ stage: "embed" }, "embedding passages");
 *   const log = lineLogger(logger, "warn"); // for the `(msg) => void` callbacks the stages take
 */
import { pino, type Logger } from "pino";
import type { LogSettings } from "../config/settings.ts";
import { prettyLine } from "./pretty.ts";

export type { Logger } from "pino";

/** Where finished lines go: stderr unless redirected (e.g. above the progress bars). */
export interface LineSink {
  write(line: string): void;
}

const stderr = pino.destination({ fd: 2, sync: true });
let redirected: LineSink | undefined;

/**
 * Sends every logger's lines to `sink` until the returned function is called: a progress bar on the
 * terminal redraws itself, so lines written around it must go through it.
 */
export function redirectLogs(sink: LineSink): () => void {
  const previous = redirected;
  redirected = sink;
  return () => {
    redirected = previous;
  };
}

export interface LoggerOptions {
  /** Write here instead of stderr (tests read the lines). */
  sink?: LineSink;
}

/** A logger configured by LOG_FORMAT and LOG_LEVEL (config/settings.ts `log`). */
export function createLogger(settings: Pick<LogSettings, "format" | "level">, opts: LoggerOptions = {}): Logger {
  const out = (line: string) => (opts.sink ?? redirected ?? stderr).write(settings.format === "pretty" ? prettyLine(line) : line);
  return pino(
    {
      level: settings.level,
      base: null,
      timestamp: settings.format === "json" ? pino.stdTimeFunctions.isoTime : pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: out },
  );
}

/** A `(msg) => void` callback writing each message at `level`. */
export function lineLogger(logger: Logger, level: "debug" | "info" | "warn" | "error" = "info"): (msg: string) => void {
  return (msg) => logger[level](msg);
}
