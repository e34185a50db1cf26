/**
 * Prompt templates from prompts/ (plain files with {name} variables) and the renderings of the
 * values that go into them. Files are read on each use so edits apply without a restart.
 */
import fs from "node:fs";
import path from "node:path";
import type { ChatTurn, Citation, GenerateInput, Lang } from "./types.ts";
import { sourceLabel } from "./source-label.ts";
import { questionLanguage } from "../../vectors/language.ts";

/** The templates in prompts/ (prompts/README.md says which call uses which). */
export type PromptName = "system" | "answer" | "rewrite" | "instructions" | "completion";

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

/** The system and user messages of an answer call. */
export function answerPrompt(dir: string, input: GenerateInput): { system: string; user: string } {
  const language = languageName(input.lang);
  let system = fillPrompt(readPrompt(dir, "system"), { language });
  // A client's system messages (/v1) follow the rules, framed as the client's and unable to lift them.
  if (input.instructions?.length) system += fillPrompt(readPrompt(dir, "instructions"), { instructions: renderInstructions(input.instructions) });
  return {
    system,
    user: fillPrompt(readPrompt(dir, "answer"), {
      question: input.question,
      passages: renderPassages(input.passages),
      history: renderHistory(input.history),
      language,
    }),
  };
}

/**
 * The text a model without a chat template (a base model) continues to write an answer: a worked
 * example, then the passages as plain "[n] …" lines and the question (prompts/completion.txt). A
 * client's instructions are left out: a base model would only continue them as text.
 */
export function completionPrompt(dir: string, input: GenerateInput): string {
  return fillPrompt(readPrompt(dir, "completion"), {
    question: input.question,
    passages: renderLinePassages(input.passages),
    language: languageName(input.lang),
  }).trimEnd();
}

/** The single message asking to rewrite a follow-up into a standalone question. */
export function rewritePrompt(dir: string, question: string, history: ChatTurn[]): string {
  return fillPrompt(readPrompt(dir, "rewrite"), {
    question,
    history: renderHistory(history),
    language: languageName(questionLanguage(question)),
  });
}

/**
 * Passages as "[n] text" lines (a passage's own line breaks become spaces, so its text cannot open a
 * line that poses as another passage or as the question).
 */
export function renderLinePassages(passages: Citation[]): string {
  return passages.map((p) => `[${p.n}] ${p.quote.replace(/\s*\n\s*/g, " ").trim()}`).join("\n");
}

/** A client's instructions, fenced so that they cannot close their own block and speak as the prompt. */
export function renderInstructions(instructions: string[]): string {
  return instructions.map((s) => s.replace(/<\s*(\/?)\s*client_instructions/gi, "‹$1client_instructions")).join("\n\n");
}

/** Drops a leading <think>…</think> block (reasoning models put it in the content). */
export async function* withoutThinking(source: AsyncIterable<string>): AsyncGenerator<string> {
  let head = "";
  let decided = false;
  for await (const piece of source) {
    if (decided) {
      yield piece;
      continue;
    }
    head += piece;
    const trimmed = head.trimStart();
    if (!trimmed) continue;
    if ("<think>".startsWith(trimmed.slice(0, 7)) && trimmed.length < 7) continue;
    if (!trimmed.startsWith("<think>")) {
      decided = true;
      yield head;
      continue;
    }
    const close = trimmed.indexOf("</think>");
    if (close < 0) continue;
    decided = true;
    const rest = trimmed.slice(close + "</think>".length).replace(/^\s+/, "");
    if (rest) yield rest;
  }
  if (!decided && head.trim() && !head.trimStart().startsWith("<think>")) yield head;
}

/** Passages fenced and labelled, numbered as the generator must cite them. */
export function renderPassages(passages: Citation[]): string {
  // A passage must not be able to close its own fence and speak as the prompt.
  const fence = (s: string) => s.replace(/<\s*(\/?)\s*passage/gi, "‹$1passage");
  return passages
    .map((p) => `<passage n="${p.n}" source="${fence(sourceLabel(p)).replace(/"/g, "'")}">\n${fence(p.quote)}\n</passage>`)
    .join("\n\n");
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
