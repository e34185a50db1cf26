/**
 * The corpus folder's files (recursively; hidden entries and links leading out of the folder skipped
 * and reported), read once: the bytes hashed are the bytes parsed, so a file changed during the
 * ingest is never cached under the hash of other content.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface CorpusFile {
  /** Path relative to the corpus folder, with "/" separators. */
  file: string;
  abs: string;
  size: number;
  /** sha256 of the raw bytes. */
  hash: string;
  /** The bytes hashed, kept for parsing; the build drops them once the file is parsed. */
  bytes?: Buffer;
}

/** What a scan of the corpus folder found: the files to ingest, and what it left out and why. */
export interface CorpusScan {
  /** Paths relative to the corpus folder, "/" separators, sorted. */
  files: string[];
  /** Hidden files and folders (names starting with "."), relative paths: skipped, reported in one line. */
  hidden: string[];
  /** Links skipped, each with why: pointing out of the corpus folder (or nowhere), or at a folder. */
  links: { file: string; reason: string }[];
}

/**
 * Walks the corpus folder. A symbolic link is followed only to a file inside the corpus folder: one
 * pointing outside it (e.g. corpus/notes.txt -> /etc/passwd) would publish that file through the
 * API, and one to a folder could loop or count files twice, so both are skipped and reported.
 */
export function scanCorpus(corpusDir: string): CorpusScan {
  if (!fs.existsSync(corpusDir) || !fs.statSync(corpusDir).isDirectory()) {
    throw new Error(`corpus folder ${corpusDir} does not exist (set --corpus or CORPUS_DIR)`);
  }
  const root = fs.realpathSync(corpusDir);
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  const scan: CorpusScan = { files: [], hidden: [], links: [] };
  const rel = (abs: string) => path.relative(corpusDir, abs).split(path.sep).join("/");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.name.startsWith(".")) scan.hidden.push(rel(abs) + (entry.isDirectory() ? "/" : ""));
      else if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) scan.files.push(rel(abs));
      else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch {
          scan.links.push({ file: rel(abs), reason: "a link to nothing (its target is missing)" });
          continue;
        }
        if (!inside(target)) scan.links.push({ file: rel(abs), reason: `a link to ${target}, outside the corpus folder` });
        else if (fs.statSync(target).isDirectory()) scan.links.push({ file: rel(abs), reason: "a link to a folder (its files are read where they are)" });
        else scan.files.push(rel(abs));
      }
    }
  };
  walk(corpusDir);
  scan.files.sort();
  scan.hidden.sort();
  return scan;
}

/** One line per skipped link, and one line for all hidden entries (there may be many, .git/ among them). */
export function skippedLines(scan: CorpusScan): string[] {
  const lines = scan.links.map((l) => `${l.file}: ${l.reason}; skipped`);
  if (scan.hidden.length) {
    const shown = scan.hidden.slice(0, 5).join(", ");
    lines.push(`${scan.hidden.length} hidden ${scan.hidden.length === 1 ? "entry" : "entries"} skipped (names starting with "."): ${shown}${scan.hidden.length > 5 ? ", …" : ""}`);
  }
  return lines;
}

export function hashCorpusFile(corpusDir: string, file: string): CorpusFile | { file: string; error: string } {
  const abs = path.join(corpusDir, file);
  try {
    const bytes = fs.readFileSync(abs);
    return { file, abs, size: bytes.length, hash: createHash("sha256").update(bytes).digest("hex"), bytes };
  } catch (err) {
    return { file, error: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
}
