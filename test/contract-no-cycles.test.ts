/**
 * No import cycles in the product's folders, type-only imports included (madge over the TypeScript
 * sources): a route imports the deps module, never the app that mounts it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import madge from "madge";

const ROOT = path.resolve(import.meta.dirname, "..");
const FOLDERS = ["config", "text", "ingest", "vectors", "server", "web", "evals", "bench"];

test("the product's modules import each other without cycles, type-only imports included", async () => {
  const result = await madge(
    FOLDERS.map((f) => path.join(ROOT, f)),
    {
      baseDir: ROOT,
      fileExtensions: ["ts"],
      tsConfig: path.join(ROOT, "tsconfig.json"),
      excludeRegExp: [/(^|\/)dist\//, /(^|\/)node_modules\//],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    },
  );
  const graph = result.obj();
  // The graph is real: every import of the project resolved, and a type-only import is an edge.
  assert.deepEqual(result.warnings().skipped.filter((s) => !s.includes("node_modules")), [], "every project import resolved");
  assert.ok(Object.keys(graph).length > 100, `modules seen: ${Object.keys(graph).length}`);
  assert.ok(graph["server/routes/chat.ts"]?.includes("server/route-deps.ts"), "type-only imports count");
  assert.ok(graph["server/app.ts"]?.includes("server/routes/chat.ts"));
  assert.deepEqual(result.circular(), [], "import cycles");
});
