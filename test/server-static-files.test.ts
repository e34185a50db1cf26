/** The built page over real HTTP: its files are served, its source map is not (nor linked from app.js). */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { buildWeb } from "../web/build.ts";
import { sharedIndex } from "./support/shared-index.ts";
import { listen, type Running } from "./support/server-harness.ts";

let running: Running;
let webDir: string;
before(async () => {
  const index = await sharedIndex();
  webDir = await buildWeb({ outDir: fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-web-")) });
  running = await listen(createApp({ config: readConfig({}), getIndex: () => index, generator: createGenerator(readSettings({}).generator), webDir, log: () => {} }));
});
after(async () => {
  await running?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

test("app.js is served without a source map link; app.js.map is built but answers 404", async () => {
  assert.ok(fs.existsSync(path.join(webDir, "app.js.map")), "the map is kept on disk for debugging");
  const js = await fetch(`${running.url}/app.js`);
  assert.equal(js.status, 200);
  assert.doesNotMatch(await js.text(), /sourceMappingURL/);
  const map = await fetch(`${running.url}/app.js.map`);
  assert.equal(map.status, 404);
  assert.equal((await map.json()).error.code, "not_found");
  assert.equal((await fetch(`${running.url}/`)).status, 200);
});
