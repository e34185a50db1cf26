/**
 * One ingest at a time per index root: `.ingest.lock` holds the running ingest's pid, created with
 * O_EXCL so two processes cannot both take it. A lock whose process is gone (killed ingest) is taken
 * over; a live one is waited for up to a bound, then the second ingest refuses with a clear message.
 *
 * Takeover is a rename, not a delete: two waiters may both judge the same lock stale, and a plain
 * delete by the second would remove the lock the first has just created. Renaming the file aside is
 * atomic, and the aside file's inode tells whether it was the stale lock that was judged (the winner
 * goes on to the O_EXCL create) or a lock created meanwhile, which is put back at once (link, which
 * never overwrites). The winner removes the stale file only after its create, so that inode cannot
 * be reused by the new lock and fool a slower waiter.
 */
import { randomUUID } from "node:crypto";
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
  /** Test seam: runs between judging the lock stale and taking it over (to interleave two waiters). */
  beforeTakeover?: () => Promise<void> | void;
}

/** Takes the lock (waiting if needed) and returns the function that releases it. */
export async function acquireLock(root: string, { waitMs = 60_000, log, beforeTakeover }: LockOptions = {}): Promise<() => void> {
  fs.mkdirSync(root, { recursive: true });
  const file = path.join(root, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let announced = false;
  const release = () => {
    if (holderPid(file) === process.pid) fs.rmSync(file, { force: true });
  };
  for (;;) {
    if (create(file)) return once(release);
    const seen = statOf(file);
    if (!seen) continue; // released in between: try again
    const pid = holderPid(file);
    // An empty lock may be one another process has created but not yet written: give it a moment.
    const fresh = pid === undefined && Date.now() - seen.mtimeMs < 5000;
    if (!fresh && (pid === undefined || !alive(pid))) {
      await beforeTakeover?.();
      const aside = takeOver(file, seen.ino);
      if (aside) {
        log?.(`taking over a stale ingest lock${pid ? ` (pid ${pid} is gone)` : ""}`);
        let created: boolean;
        try {
          created = create(file); // false: a waiter that never saw the stale lock got in first
        } finally {
          fs.rmSync(aside, { force: true }); // only now: see the header on inode reuse
        }
        if (created) return once(release);
      }
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

/** Creates the lock file holding this process's pid; false when it already exists. */
function create(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    fs.writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/**
 * Moves the lock judged stale (inode `ino`) aside; returns where, or undefined when it was no longer
 * there — gone, or replaced by a new lock, which is then put back where it was.
 */
function takeOver(file: string, ino: number): string | undefined {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (statOf(aside)?.ino === ino) return aside;
  try {
    fs.linkSync(aside, file);
  } catch {
    // a third lock appeared in that instant; it wins, the one moved here is lost with its holder's claim
  }
  fs.rmSync(aside, { force: true });
  return undefined;
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
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

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
