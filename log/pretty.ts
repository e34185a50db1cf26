/**
 * The human-readable form of one pino record: one line, local time to the millisecond, level, message,
 * then the record's other fields as key=value; an error's stack on the lines below it.
 *
 *   2026-12-01 09:26:04.123 INFO  POST /api/chat 200 53.1 ms  reqId=4f1c…
 *
 * Written here rather than with pino-pretty: its default layout spreads each record's fields over
 * several lines, and it brings a dozen packages for what is twenty lines.
 */
const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** Fields shown in the line's fixed part, or not at all. */
const OWN = new Set(["level", "time", "msg", "err", "pid", "hostname"]);
/** A request record's fields its message already says ("POST /api/chat 200 53.1 ms"; server/http/request-log.ts). */
const IN_REQUEST_MESSAGE = new Set(["method", "path", "status", "ms"]);

const two = (n: number) => String(n).padStart(2, "0");

/** "2026-12-01 09:26:04.123" in local time. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function show(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) || value === "" ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One JSON line from pino → one readable line (plus the stack, for errors). */
export function prettyLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = typeof rec.time === "number" ? localTime(rec.time) : String(rec.time ?? "");
  const level = (typeof rec.level === "number" ? LEVELS[rec.level] : String(rec.level ?? "").toUpperCase()) ?? String(rec.level);
  const fields = Object.entries(rec)
    .filter(([k]) => !OWN.has(k) && !(rec.reqId !== undefined && IN_REQUEST_MESSAGE.has(k)))
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(" ");
  const err = rec.err as { message?: string; stack?: string } | undefined;
  const msg = String(rec.msg ?? (err?.message ?? ""));
  let line = `${time} ${level.padEnd(5)} ${msg}${fields ? `  ${fields}` : ""}\n`;
  if (err?.stack) line += `${err.stack.replace(/^/gm, "    ")}\n`;
  return line;
}
