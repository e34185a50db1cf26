/**
 * Builds the chat page into web/dist: esbuild bundles web/src/main.ts into app.js, and index.html
 * and styles.css are copied beside it. The server calls this at start, so there is no manual build.
 */
import { build } from "esbuild";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = dirname(fileURLToPath(import.meta.url));
const STATIC_FILES = ["index.html", "styles.css", "favicon.svg"];

/** Writes via a temporary file and a rename, so a server already serving dist never reads half a file. */
async function writeAtomic(file: string, contents: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, file);
}

/** Bundles the page and returns the absolute path of the folder to serve. */
export async function buildWeb(opts: { outDir?: string; minify?: boolean } = {}): Promise<string> {
  const outDir = resolve(opts.outDir ?? join(webDir, "dist"));
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(webDir, "src", "main.ts")],
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    minify: opts.minify ?? true,
    // Written beside app.js for debugging, not linked from it: the server does not serve *.map.
    sourcemap: "external",
    outfile: join(outDir, "app.js"),
    write: false,
    logLevel: "silent",
  });
  for (const file of result.outputFiles) await writeAtomic(file.path, file.contents);
  for (const name of STATIC_FILES) await writeAtomic(join(outDir, name), await readFile(join(webDir, name)));
  return outDir;
}

// `tsx web/build.ts` builds by hand (the server does it at start anyway).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb().then((dir) => console.log(`web built into ${dir}`));
}
