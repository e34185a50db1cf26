/**
 * The corpus folder's files (recursively, hidden files skipped), read once: the bytes hashed are the
 * bytes parsed, so a file changed during the ingest is never cached under the hash of other content.
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

export function listCorpusFiles(corpusDir: string): string[] {
  if (!fs.existsSync(corpusDir) || !fs.statSync(corpusDir).isDirectory()) {
    throw new Error(`corpus folder ${corpusDir} does not exist (set --corpus or CORPUS_DIR)`);
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(path.relative(corpusDir, abs).split(path.sep).join("/"));
    }
  };
  walk(corpusDir);
  return out.sort();
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
