/**
 * Index roots shared by one test run (`node --test` starts a process per file, all children of one runner):
 * named by the runner's pid, so every file of the run reuses the same index, and roots of runs whose
 * runner has exited (a few MB each) are removed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** This run's root for the given prefix, in the system's temp folder. */
export function runRoot(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}${process.ppid}`);
}

/** Removes the roots with this prefix left by earlier runs whose runner is gone. */
export function removeStaleRoots(prefix: string): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !pid || pid === process.ppid || isAlive(pid)) continue;
    fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
