/**
 * What the eval talks to: the assistant in this process (default) or a running server over HTTP.
 * Both answer the same two calls, so every metric is computed the same way for either.
 */
import fs from "node:fs";
import path from "node:path";
import type { EvalTurn } from "./cases.ts";
import { compact } from "./cases.ts";
import type { CitedPassage, Passage } from "./metrics.ts";

export interface ChatOutcome {
  /** Standalone question after follow-up rewriting (what retrieval is scored on). */
  question: string;
  answer: string;
  refused: boolean;
  citations: CitedPassage[];
  notice?: string;
  generator?: string;
}

export interface EvalTarget {
  /** "in-process" or the server's base URL. */
  name: string;
  /** Embedding model, generator, index size: recorded in the report so figures can be compared. */
  info: Record<string, unknown>;
  search(query: string, opts: { k: number; mode?: string }): Promise<Passage[]>;
  chat(question: string, history: EvalTurn[] | undefined, k?: number): Promise<ChatOutcome>;
  /** Whitespace-free reference texts a cited quote must appear in verbatim. */
  sources: string[];
  /** Whitespace-free text of every indexed chunk, when known (to warn about evidence no chunk holds). */
  chunkTexts?: string[];
  close(): Promise<void>;
}

/** The corpus files as plain text, whitespace removed (text formats only; other formats are checked against the cleaned articles). */
export function readCorpusTexts(corpusDir: string): string[] {
  if (!fs.existsSync(corpusDir)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(txt|md)$/i.test(entry.name)) out.push(compact(fs.readFileSync(full, "utf8")));
    }
  };
  walk(corpusDir);
  return out;
}
