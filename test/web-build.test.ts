/** The page build: one bundled script and static files, nothing the server's CSP would block. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildWeb } from "../web/build.ts";

test("buildWeb bundles the page into a folder with no inline script or handler", async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), "policy-qa-web-build-"));
  try {
    const dir = await buildWeb({ outDir: out });
    assert.equal(dir, out);
    const files = await readdir(dir);
    for (const f of ["index.html", "styles.css", "app.js", "favicon.svg"]) assert.ok(files.includes(f), `${f} built`);
    const html = await readFile(path.join(dir, "index.html"), "utf8");
    // script-src 'self': every script is an external file, no inline code, no on* attributes.
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      assert.match(tag, /^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/, `external script only: ${tag}`);
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, "no inline event handlers");
    assert.doesNotMatch(html, /\sstyle\s*=/i, "no inline styles (style-src 'self')");
    const js = await readFile(path.join(dir, "app.js"), "utf8");
    // Text reaches the page through textContent only.
    assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    assert.match(js, /textContent/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
