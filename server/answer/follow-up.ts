/**
 * Follow-up questions: one that leans on the previous turn (那粮食安全呢？, 他还说了什么,
 * 这些措施中哪项涉及核电, what about …) is rewritten into a standalone question before retrieval;
 * a self-contained one is left alone. Only the question is carried over, never earlier passages.
 * With an LLM configured it rewrites (prompts/rewrite.txt); otherwise, or when it fails, a rule
 * merges the question with the previous user question.
 */
import type { ChatTurn, Generator } from "./types.ts";
import { questionTerms, segmenter } from "./terms.ts";

const ZH_LEADING = /^(那么|那|还有|另外|此外|再说说|再|并且|以及|而|又)/;
const ZH_TRAILING = /呢[？?。！!\s]*$/;
const ZH_PERSON_PRONOUN = /他们|她们|(?<!其)他(?!人)|她/;
// 该/其 only as words of their own (not 应该, 尤其, 其他, 其实).
const ZH_DEMONSTRATIVE = /这些|那些|这个|那个|这项|那项|这一|这方面|上述|前述|以上|(?<!应)该|其中|它们|它|(?<![尤极与何])其(?![他它余实次])/;
const ZH_MORE = /^(还|又|另外|再).{0,6}(说|讲|提|强调|要求|有)/;
const EN_LEADING = /^\s*(what about|how about|and what about|and|what else|also)\b/i;
const EN_PRONOUN = /\b(it|its|they|them|their|this|these|those|that|he|him|his|she|her)\b/i;

/** True when the question cannot stand alone (given that there was a previous question). */
export function isFollowUp(question: string, history: ChatTurn[]): boolean {
  if (!previousUserQuestion(history)) return false;
  const q = question.trim();
  if (/[\u3400-\u9fff]/.test(q)) {
    const terms = questionTerms(q);
    if (ZH_LEADING.test(q) && (ZH_TRAILING.test(q) || terms.length <= 2)) return true;
    if (ZH_TRAILING.test(q) && terms.length <= 2) return true;
    if (ZH_PERSON_PRONOUN.test(q) || ZH_MORE.test(q)) return true;
    if (ZH_DEMONSTRATIVE.test(q) && terms.length <= 3) return true;
    return terms.length === 0;
  }
  const words = q.split(/\s+/).filter(Boolean);
  return EN_LEADING.test(q) || (EN_PRONOUN.test(q) && words.length <= 8) || words.length <= 2;
}

function previousUserQuestion(history: ChatTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].role === "user" && history[i].content.trim()) return history[i].content.trim();
  return undefined;
}

/**
 * The previous user question made standalone itself (it may have been a follow-up too),
 * by replaying the rule over the user turns in order.
 */
function resolvedPrevious(history: ChatTurn[]): string | undefined {
  let resolved: string | undefined;
  const seen: ChatTurn[] = [];
  for (const turn of history) {
    if (turn.role === "user" && turn.content.trim()) {
      const q = turn.content.trim();
      resolved = resolved && isFollowUp(q, seen) ? mergeWith(q, resolved) : q;
    }
    seen.push(turn);
  }
  return resolved;
}

/** Rule-based rewrite: merges a follow-up with the previous (resolved) user question. */
export function rewriteByRule(question: string, history: ChatTurn[]): string {
  const q = question.trim();
  if (!isFollowUp(q, history)) return q;
  const prev = resolvedPrevious(history);
  return prev ? mergeWith(q, prev) : q;
}

/** Standalone form of `question`: the LLM's rewrite when it offers one, otherwise the rule's. */
export async function standaloneQuestion(
  question: string,
  history: ChatTurn[],
  generator: Generator,
  signal?: AbortSignal,
): Promise<{ question: string; rewritten: boolean; by?: "llm" | "rule"; modelError?: unknown }> {
  const q = question.trim();
  if (!isFollowUp(q, history)) return { question: q, rewritten: false };
  let modelError: unknown;
  if (generator.rewrite) {
    try {
      const out = sanitizeRewrite(await generator.rewrite(q, history, signal), q);
      if (out) return { question: out, rewritten: out !== q, by: "llm" };
    } catch (err) {
      // The rule below still gives a usable question; the caller learns the model is failing.
      modelError = err;
    }
  }
  const ruled = rewriteByRule(q, history);
  return { question: ruled, rewritten: ruled !== q, by: "rule", ...(modelError ? { modelError } : {}) };
}

/** First line of the model's reply, unquoted; undefined when it is empty or implausibly long. */
function sanitizeRewrite(raw: string, original: string): string | undefined {
  const line = raw
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean)
    ?.replace(/^(standalone question|question|问题|改写后的问题)\s*[:：]\s*/i, "")
    .replace(/^["“'「]|["”'」]$/g, "")
    .trim();
  if (!line || line.length > original.length * 4 + 120) return undefined;
  return line;
}

function mergeWith(q: string, prev: string): string {
  return /[\u3400-\u9fff]/.test(q) || /[\u3400-\u9fff]/.test(prev) ? mergeZh(q, prev) : mergeEn(q, prev);
}

/**
 * Splits the previous question into scope (leading place names, e.g. 辽宁), topic (the span of
 * its content terms) and frame (the asking part, e.g. 有哪些措施).
 */
function splitPrevious(prev: string): { scope: string; topic: string; before: string; after: string } {
  const body = prev.replace(/[？?。！!\s]+$/u, "");
  const terms = questionTerms(body);
  if (terms.length === 0) return { scope: "", topic: "", before: body, after: "" };
  let scope = "";
  let first = 0;
  // Leading place names scope the question; keep them when the topic is swapped.
  while (first < terms.length - 1 && terms[first].tag === "ns" && body.indexOf(terms[first].text) === scope.length) {
    scope += terms[first].text;
    first++;
  }
  const start = body.indexOf(terms[first].text, scope.length);
  const last = terms[terms.length - 1];
  const end = body.lastIndexOf(last.text) + last.text.length;
  if (start < 0 || end <= start) return { scope, topic: "", before: body, after: "" };
  return { scope, topic: body.slice(start, end), before: body.slice(0, start), after: body.slice(end) };
}

function mergeZh(q: string, prev: string): string {
  const { scope, topic, before, after } = splitPrevious(prev);
  const subject = `${scope}${topic}`;
  const core = q.replace(/[？?。！!\s]+$/u, "");

  // 那粮食安全呢？ / 还有农业方面呢 → the previous question's frame about the new topic.
  const swapped = core.replace(ZH_LEADING, "").replace(/呢$/, "").trim();
  if ((ZH_LEADING.test(core) || ZH_TRAILING.test(q)) && questionTerms(swapped).length > 0 && !ZH_DEMONSTRATIVE.test(swapped) && !ZH_PERSON_PRONOUN.test(swapped)) {
    return topic ? `${before}${swapped}${after}？` : `${swapped}，${prev}`;
  }

  // 他还说了什么 → the person the previous question names; 这些措施中哪项… → the previous topic.
  let out = core;
  const person = segmenter()
    .tag(prev, true)
    .find((t) => /^nr/.test(t.tag) && [...t.word].length >= 2)?.word;
  if (ZH_PERSON_PRONOUN.test(out) && person) out = out.replace(ZH_PERSON_PRONOUN, person);
  if (ZH_DEMONSTRATIVE.test(out) && subject) {
    out = out.replace(ZH_DEMONSTRATIVE, (m) => (m === "其中" ? `${subject}中` : /^(它|它们|其)$/.test(m) ? subject : `${subject}的`));
  }
  // Whatever the previous question was about and the new one no longer says, keep as context.
  const lost = questionTerms(prev).filter((t) => !out.includes(t.text));
  if (out === core || lost.length > 0) return `${out}（${prev.replace(/[？?。！!\s]+$/u, "")}）`;
  return `${out}？`;
}

function mergeEn(q: string, prev: string): string {
  const core = q.replace(/[?.!\s]+$/, "");
  const topic = core.replace(EN_LEADING, "").trim();
  const m = EN_LEADING.exec(core);
  if (m && topic) {
    // Replace the last run of content words of the previous question with the new topic.
    const words = prev.replace(/[?.!\s]+$/, "").split(/\s+/);
    const isContent = (w: string) => questionTerms(w).length > 0;
    let end = words.length;
    while (end > 0 && !isContent(words[end - 1])) end--;
    let start = end;
    while (start > 0 && isContent(words[start - 1]) && end - start < 3) start--;
    if (end > start) return [...words.slice(0, start), topic, ...words.slice(end)].join(" ") + "?";
  }
  return `${core} (${prev.replace(/[?.!\s]+$/, "")})?`;
}
