/**
 * The index the server answers from, swappable while serving. A request takes the current
 * SearchIndex once, at its start, and keeps that object to the end, so a switch never shows it half
 * an index: the new one is opened completely first, then replaces the old in one assignment.
 *
 * The replaced index is closed (its ONNX sessions released) `closeAfterMs` after the switch. Why a
 * delay rather than counting users: requests take the index with a plain get() and never hand it
 * back, and every API request is cut at REQUEST_TIMEOUT_MS, so once that much time has passed no
 * request that took the old index is still running. Searches still in progress when the timer fires
 * are waited for by close() itself, and a straggler searching later gets keyword-only results, not an
 * error. Pass the server's request timeout; the default is REQUEST_TIMEOUT_MS's default.
 */
import fs from "node:fs";
import type { SearchIndex } from "../vectors/search-index.ts";

export const DEFAULT_CLOSE_AFTER_MS = 150_000;

export interface ServedIndexOptions {
  /** How long a replaced index stays open for the requests that took it (ms). */
  closeAfterMs?: number;
}

export class ServedIndex {
  #current: SearchIndex;
  #switching: Promise<unknown> = Promise.resolve();
  #failedDir: string | undefined;
  readonly #closeAfterMs: number;

  constructor(
    initial: SearchIndex,
    private readonly open: (dir: string) => Promise<SearchIndex>,
    private readonly log: (msg: string) => void = () => {},
    opts: ServedIndexOptions = {},
  ) {
    this.#current = initial;
    this.#closeAfterMs = opts.closeAfterMs ?? DEFAULT_CLOSE_AFTER_MS;
  }

  /** The index to use for one request. */
  get(): SearchIndex {
    return this.#current;
  }

  /**
   * Opens `dir` and serves it from then on, unless it is already served. Switches run one at a time.
   * Resolves true when the served index changed; a build that fails to open leaves the old one serving.
   */
  switchTo(dir: string): Promise<boolean> {
    const run = this.#switching.then(async () => {
      if (sameDir(dir, this.#current.dir)) return false;
      const next = await this.open(dir);
      const previous = this.#current;
      this.#current = next;
      this.#failedDir = undefined;
      this.log(`now serving the index in ${next.dir} (was ${previous.dir})`);
      this.#retire(previous);
      return true;
    });
    this.#switching = run.catch(() => {});
    return run;
  }

  /** Closes a replaced index once the requests that took it are over (see the header). */
  #retire(index: SearchIndex): void {
    const timer = setTimeout(() => {
      index.close().catch((err: Error) => this.log(`closing the index in ${index.dir} failed: ${err.message}`));
    }, this.#closeAfterMs);
    timer.unref(); // a pending close must not keep a stopping process alive
  }

  /** Like switchTo, for a watcher polling the folder: failures are logged once per build, not thrown. */
  async follow(dir: string): Promise<void> {
    if (dir === this.#failedDir) return;
    try {
      await this.switchTo(dir);
    } catch (err) {
      this.#failedDir = dir;
      this.log(`the index in ${dir} could not be opened (${(err as Error).message}); still serving ${this.#current.dir}`);
    }
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(a) === real(b);
}
