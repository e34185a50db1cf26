/**
 * Prompt templates from prompts/ (plain files with {name} variables) and the renderings of the
 * values that go into them. Files are read on each use so edits apply without a restart.
 */
import fs from "node:fs";
import path from "node:path";
import type { ChatTurn, Citation, Lang } from "./types.ts";
import { sourceLabel } from "./source-label.ts";

export type PromptName = "system" | "answer" | "rewrite" | "instructions";

export function readPrompt(dir: string, name: PromptName): string {
  const file = path.join(dir, `${name}.txt`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`prompt file ${file} is missing or unreadable (PROMPTS_DIR=${dir})`, { cause: err });
  }
}

/** Replaces the known {name} variables in one pass; other braces are left alone, values are not re-expanded. */
export function fillPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(vars, name) ? vars[name] : m));
}

export function languageName(lang: Lang): string {
  return lang === "en" ? "English" : "Chinese (简体中文)";
}

/** Passages fenced and labelled, numbered as the generator must cite them. */
export function renderPassages(passages: Citation[]): string {
  // A passage must not be able to close its own fence and speak as the prompt.
  const fence = (s: string) => s.replace(/<\s*(\/?)\s*passage/gi, "‹$1passage");
  return passages
    .map((p) => `<passage n="${p.n}" source="${fence(sourceLabel(p)).replace(/"/g, "'")}">\n${fence(p.quote)}\n</passage>`)
    .join("\n\n");
}

/** A client's instructions, fenced so that they cannot close their own block and speak as the prompt. */
export function renderInstructions(instructions: string[]): string {
  return instructions.map((s) => s.replace(/<\s*(\/?)\s*client_instructions/gi, "‹$1client_instructions")).join("\n\n");
}

/** The last turns, markers removed (they pointed at earlier passages), each shortened. */
export function renderHistory(history: ChatTurn[], maxTurns = 4, maxChars = 400): string {
  const turns = history.slice(-maxTurns);
  if (turns.length === 0) return "(none)";
  return turns
    .map((t) => {
      const text = t.content.replace(/\[\d+\]/g, "").replace(/\s+/g, " ").trim();
      return `${t.role}: ${text.length > maxChars ? `${text.slice(0, maxChars)}…` : text}`;
    })
    .join("\n");
}
