/**
 * The index the server answers from, swappable while serving. A request takes the current
 * SearchIndex once, at its start, and keeps that object to the end, so a switch never shows it half
 * an index: the new one is opened completely first, then replaces the old in one assignment.
 */
import fs from "node:fs";
import type { SearchIndex } from "../vectors/search-index.ts";

export class ServedIndex {
  #current: SearchIndex;
  #switching: Promise<unknown> = Promise.resolve();
  #failedDir: string | undefined;

  constructor(
    initial: SearchIndex,
    private readonly open: (dir: string) => Promise<SearchIndex>,
    private readonly log: (msg: string) => void = () => {},
  ) {
    this.#current = initial;
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
      return true;
    });
    this.#switching = run.catch(() => {});
    return run;
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
