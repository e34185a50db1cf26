/**
 * The eval cases: one JSON object per line (evals/qa.jsonl), read and validated here so that a
 * malformed line fails loudly with its line number instead of skewing the figures.
 */
import fs from "node:fs";

export interface EvalTurn {
  role: "user" | "assistant";
  content: string;
}

/**
 * What a case tests, when its author says so (optional; the report breaks figures down by it).
 * `near-miss` and `unanswerable-offtopic` are unanswerable: a near miss asks for a detail the corpus
 * never gives about something it does describe; an off-topic one asks about something it never mentions.
 */
export const CASE_KINDS = [
  "fact", "list", "definition", "paraphrase", "near-miss", "two-part", "two-article", "follow-up", "english",
  "unanswerable-offtopic",
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface EvalCase {
  id: string;
  /** What the case tests (optional; cases without one are reported as "(no kind)"). */
  kind?: CaseKind;
  question: string;
  /** Earlier turns: the question alone is ambiguous without them. */
  history?: EvalTurn[];
  /** Whitespace-free snippets of the corpus; a passage is a hit when it contains one of them. */
  evidence: string[];
  /** Groups of alternative phrases; a good answer contains one phrase of every group. */
  must: string[][];
  answerable: boolean;
  lang: "zh" | "en";
}

/** Whitespace removed (the corpus is a PDF-to-text dump with line breaks and stray spaces). */
export function compact(text: string): string {
  return text.replace(/\s+/g, "");
}

/** Compact + NFKC + lower case: how answers are matched against `must` phrases (５Ｇ = 5G, Beijing = beijing). */
export function normalizeForMatch(text: string): string {
  return compact(text.normalize("NFKC")).toLowerCase();
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string" && v.length > 0);
}

/** Checks one parsed line; returns the problems found (empty when the case is well formed). */
export function validateCase(value: unknown): string[] {
  const problems: string[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["not a JSON object"];
  const c = value as Record<string, unknown>;
  if (typeof c.id !== "string" || !c.id) problems.push("id must be a non-empty string");
  if (typeof c.question !== "string" || !c.question.trim()) problems.push("question must be a non-empty string");
  if (c.history !== undefined) {
    const ok =
      Array.isArray(c.history) &&
      c.history.every(
        (t) =>
          typeof t === "object" && t !== null &&
          ((t as EvalTurn).role === "user" || (t as EvalTurn).role === "assistant") &&
          typeof (t as EvalTurn).content === "string",
      );
    if (!ok) problems.push('history must be a list of {"role":"user"|"assistant","content":string}');
  }
  if (!Array.isArray(c.evidence) || !c.evidence.every((e) => typeof e === "string" && e.length > 0)) {
    problems.push("evidence must be a list of non-empty strings");
  }
  if (!Array.isArray(c.must) || !c.must.every((g) => isStringArray(g) && g.length > 0)) {
    problems.push("must must be a list of non-empty lists of strings");
  }
  if (c.kind !== undefined && !(CASE_KINDS as readonly unknown[]).includes(c.kind)) {
    problems.push(`kind must be one of ${CASE_KINDS.join(", ")}`);
  }
  if (typeof c.answerable !== "boolean") problems.push("answerable must be true or false");
  if (c.lang !== "zh" && c.lang !== "en") problems.push('lang must be "zh" or "en"');
  if (c.answerable === true && Array.isArray(c.evidence) && c.evidence.length === 0) {
    problems.push("an answerable case needs at least one evidence snippet");
  }
  if (c.answerable === false && ((Array.isArray(c.evidence) && c.evidence.length) || (Array.isArray(c.must) && c.must.length))) {
    problems.push("an unanswerable case has no evidence and no must groups");
  }
  return problems;
}

/** Parses JSONL text; throws one error listing every bad line (blank lines are skipped). */
export function parseCases(text: string, source = "cases"): EvalCase[] {
  const cases: EvalCase[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      errors.push(`${source}:${i + 1}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const problems = validateCase(value);
    const c = value as EvalCase;
    if (!problems.length && seen.has(c.id)) problems.push(`duplicate id "${c.id}"`);
    if (problems.length) {
      errors.push(...problems.map((p) => `${source}:${i + 1}: ${p}`));
      return;
    }
    seen.add(c.id);
    cases.push(c);
  });
  if (errors.length) throw new Error(`Invalid eval cases:\n${errors.join("\n")}`);
  return cases;
}

export function loadCases(file: string): EvalCase[] {
  return parseCases(fs.readFileSync(file, "utf8"), file);
}
