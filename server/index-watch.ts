/**
 * Follows the index folder: when another process (`npm run ingest`) publishes a new build, the server
 * switches to it without a restart. Polling `current` is cheap and works on every filesystem, unlike
 * fs.watch on a symlink.
 */
import { currentIndexDir } from "../vectors/index-folder.ts";
import type { ServedIndex } from "./served-index.ts";

export function watchIndex(root: string, served: ServedIndex, everyMs: number, busy: () => boolean = () => false): { stop(): void } {
  if (everyMs <= 0) return { stop() {} };
  const timer = setInterval(() => {
    if (busy()) return;
    const dir = currentIndexDir(root);
    if (dir) void served.follow(dir);
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
