/**
 * One ingest at a time per index root: `.ingest.lock` holds the running ingest's pid, created with
 * O_EXCL so two processes cannot both take it. A lock whose process is gone (killed ingest) is taken
 * over; a live one is waited for up to a bound, then the second ingest refuses with a clear message.
 */
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const LOCK_FILE = ".ingest.lock";

export class IngestBusyError extends Error {
  override name = "IngestBusyError";
}

export interface LockOptions {
  /** How long to wait for another ingest to finish (ms). */
  waitMs?: number;
  log?: (msg: string) => void;
}

/** Takes the lock (waiting if needed) and returns the function that releases it. */
export async function acquireLock(root: string, { waitMs = 60_000, log }: LockOptions = {}): Promise<() => void> {
  fs.mkdirSync(root, { recursive: true });
  const file = path.join(root, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (holderPid(file) === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = holderPid(file);
    // An empty lock may be one another process has created but not yet written: give it a moment.
    const fresh = pid === undefined && Date.now() - mtimeMs(file) < 5000;
    if (!fresh && (pid === undefined || !alive(pid))) {
      log?.(`taking over a stale ingest lock${pid ? ` (pid ${pid} is gone)` : ""}`);
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new IngestBusyError(`another ingest (pid ${pid ?? "?"}) is running on ${root}; waited ${Math.round(waitMs / 1000)} s, try again when it has finished`);
    }
    if (!announced) log?.(`waiting for the ingest running as pid ${pid ?? "?"} to finish…`);
    announced = true;
    await sleep(200);
  }
}

function holderPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function mtimeMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
