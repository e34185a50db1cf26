/**
 * The install is configured in package.json, in forms npm keeps supporting: every dependency with
 * an install script is reviewed in `allowScripts` (npm 12 skips unreviewed ones), and npm reads the
 * project's configuration and installed tree without a warning (no unknown .npmrc keys, no
 * unmet or invalid dependency).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = path.join(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

test("every dependency with an install script is approved or denied in allowScripts", () => {
  const allow = readJson("package.json").allowScripts as Record<string, boolean>;
  const lock = readJson("package-lock.json") as { packages: Record<string, { version: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));
  assert.ok(withScripts.includes("hnswlib-node"), "hnswlib-node builds at install");
  assert.deepEqual([...new Set(withScripts)].filter((name) => !(name in allow)), [], "unreviewed install scripts");
  // The one that must run: hnswlib-node has no prebuilt binary. onnxruntime-node's only downloads CUDA libraries.
  assert.equal(allow["hnswlib-node"], true);
  assert.equal(allow["onnxruntime-node"], false);
});

test("npm reads the project's settings and installed tree without a warning", () => {
  const npm = spawnSync("npm", ["ls", "--all"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(npm.status, 0, npm.stderr);
  assert.equal(npm.stderr.trim(), "");
});
