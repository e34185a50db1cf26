/**
 * npm run docs:config — writes the configuration table (made from config/settings.ts) into the README
 * between its markers; `--check` exits 1 when the README's table differs instead.
 */
import fs from "node:fs";
import path from "node:path";
import { configurationTable } from "./settings.ts";

export const START = "<!-- config-table:start (npm run docs:config writes this table from config/settings.ts) -->";
export const END = "<!-- config-table:end -->";

/** The README text with its table replaced by the current one. */
export function withCurrentTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no configuration table markers (${START} … ${END})`);
  return `${readme.slice(0, a + START.length)}\n${configurationTable()}\n${readme.slice(b)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = path.resolve(import.meta.dirname, "..", "README.md");
  const readme = fs.readFileSync(file, "utf8");
  const next = withCurrentTable(readme);
  if (process.argv.includes("--check")) {
    if (next !== readme) {
      console.error("README.md's configuration table is out of date: run npm run docs:config");
      process.exitCode = 1;
    }
  } else if (next !== readme) {
    fs.writeFileSync(file, next);
    console.log("README.md: configuration table updated");
  }
}
