/**
 * The folder layout holds: dependency-cruiser runs the rules of .dependency-cruiser.cjs (which
 * folder may import which, no import cycles with type-only imports included, no undeclared or
 * dev-only packages in the product), and README's layout table states exactly the folder imports
 * the code has.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const ROOT = path.join(import.meta.dirname, "..");
/** The folders holding code (prompts/ and corpus/ hold none). */
const CODE = ["config", "text", "log", "ingest", "vectors", "server", "web", "evals", "bench", "test"];

async function cruiseProject(): Promise<ICruiseResult> {
  const cwd = process.cwd();
  process.chdir(ROOT); // dependency-cruiser reads paths relative to the working directory
  try {
    const options = await extractDepcruiseOptions("./.dependency-cruiser.cjs");
    const folders = CODE.filter((f) => fs.existsSync(f));
    const { output } = await cruise(folders, { ...options, outputType: "json" }, {}, { tsConfig: extractTSConfig("tsconfig.json") });
    return (typeof output === "string" ? JSON.parse(output) : output) as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}

const result = await cruiseProject();

test("no import breaks the layout rules: folder arrows, no cycles, declared packages, no dev packages in the product", () => {
  assert.ok(result.summary.totalCruised > 150, `only ${result.summary.totalCruised} modules cruised`);
  const problems = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(" → ") : v.to}`);
  assert.deepEqual(problems, []);
  // The graph is real: a type-only import is an edge (a route imports the deps module as a type, never the app).
  const chat = result.modules.find((m) => m.source === "server/routes/chat.ts");
  const deps = chat?.dependencies.find((d) => d.resolved === "server/route-deps.ts");
  assert.ok(deps?.dependencyTypes.includes("type-only"), "server/routes/chat.ts → server/route-deps.ts is seen as a type-only import");
  assert.ok(result.modules.find((m) => m.source === "server/app.ts")?.dependencies.some((d) => d.resolved === "server/routes/chat.ts"));
});

test("README's layout table names exactly the folders each folder imports", () => {
  const top = (file: string) => file.split("/")[0];
  const actual = new Map<string, Set<string>>();
  for (const m of result.modules) {
    const from = top(m.source);
    if (!CODE.includes(from) || from === "test") continue;
    for (const d of m.dependencies) {
      const to = top(d.resolved);
      if (d.coreModule || !CODE.includes(to) || to === from) continue;
      if (!actual.has(from)) actual.set(from, new Set());
      actual.get(from)!.add(to);
    }
  }
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const block = /<!-- layout:start[^>]*-->([\s\S]*?)<!-- layout:end -->/.exec(readme);
  assert.ok(block, "README.md has no <!-- layout:start --> … <!-- layout:end --> table");
  const stated = new Map<string, Set<string>>();
  for (const row of block[1].split("\n")) {
    const cells = row.trim().split(" | ");
    const folder = /^\| `(\w+)\/`$/.exec(cells[0])?.[1];
    if (!folder) continue;
    const imports = [...cells[cells.length - 1].matchAll(/`(\w+)\/[^`]*`/g)].map((x) => x[1]);
    if (imports.length) stated.set(folder, new Set(imports));
  }
  const sorted = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
  assert.deepEqual(sorted(actual), sorted(stated), "the imports the code has (actual) differ from README's layout table (expected)");
});
