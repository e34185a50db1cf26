/**
 * Follow-up questions: one that leans on the previous turn (那粮食安全呢？, 他还说了什么,
 * 这些措施中哪项涉及核电, what about …) is rewritten into a standalone question before retrieval;
 * a self-contained one is left alone. Only the question is carried over, never earlier passages;
 * of an earlier answer, only the name it gave a who-question (他 → 王延中) is used.
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
      resolved = resolved && isFollowUp(q, seen) ? mergeWith(q, resolved, previousAnswer(seen)) : q;
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
  return prev ? mergeWith(q, prev, previousAnswer(history)) : q;
}

/**
 * The assistant's reply to the last user question, if any. Only what it names (the person a
 * who-question asked for) is ever taken from it; its passages are never carried over.
 */
function previousAnswer(history: ChatTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].role === "user") return undefined;
    if (history[i].content.trim()) return history[i].content;
  }
  return undefined;
}

const ASKED_WHO = /谁|哪位|何人|\bwho(m|se)?\b/i;
const REFUSAL = /资料中没有找到|没有找到|未给出|do not cover|not found/i;
const TITLES = "总书记|副书记|书记|副省长|省长|市长|主任|部长|副所长|所长|院长|主席|总理|委员长|秘书长|组长|局长|厅长|教授|研究员|院士";
/** What follows a name in a reply: 王延中同志就……进行讲解, 何立峰作总结讲话, 郝鹏主持会议, 蔡奇、丁薛祥出席. */
const AFTER_NAME = "(?=同志|作|主持|就|讲解|进行|出席|强调|指出|表示|讲话|、)";
const TITLED_NAME = new RegExp(`(?:${TITLES})([\\u4e00-\\u9fa5]{2,3}?)(?=同志|作|主持|就|讲解|进行|出席|强调|指出|表示|讲话|在|[，、。；]|$)`, "g");
const MARKED_NAME = new RegExp(`(?:^|[，、。；：:\\s“（(由是请和与])([\\u4e00-\\u9fa5]{2,3}?)${AFTER_NAME}`, "g");

/**
 * The people a reply names, in order: a two-or-three-character name after a title (所长王延中) or
 * before 同志/作/主持/就/讲解/、. A candidate jieba knows as an ordinary word (金融、会议) is not a name.
 */
export function namesInAnswer(answer: string): string[] {
  // Titles of documents (《习近平在……》) and citation markers name no one the reply answers with.
  const text = answer.replace(/《[^》]*》/g, "，").replace(/\[\d+\]/g, "");
  const found: { at: number; name: string }[] = [];
  for (const re of [TITLED_NAME, MARKED_NAME]) for (const m of text.matchAll(re)) found.push({ at: m.index! + m[0].length - m[1].length, name: m[1] });
  const names: string[] = [];
  for (const { name } of found.sort((a, b) => a.at - b.at)) if (!names.includes(name) && looksLikeName(name)) names.push(name);
  return names;
}

function looksLikeName(word: string): boolean {
  const tagged = segmenter().tag(word, false);
  if (tagged.length === 1) return /^nr/.test(tagged[0].tag);
  // Unknown names fall apart into single characters (王/延/中), usually a surname first.
  return tagged.every((t) => [...t.word].length === 1) || (/^nr/.test(tagged[0].tag) && [...tagged[0].word].length === 1);
}

/** A definition question (什么是X, X是什么(意思), X指什么): X, what a following 它/这个/该 refers to. */
function definedSubject(prev: string): string | undefined {
  const body = prev.replace(/[？?。！!\s]+$/u, "");
  const m = body.match(/^(?:什么是|何为|何谓)(.+)$/) ?? body.match(/^(.+?)(?:是什么意思|什么意思|指的是什么|是指什么|指什么|的含义是什么|的内涵是什么|的含义|的内涵|是什么)$/);
  const subject = m?.[1].replace(/^[“"「]|[”"」]$/g, "").trim();
  return subject && questionTerms(subject).length > 0 ? subject : undefined;
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

function mergeWith(q: string, prev: string, answer?: string): string {
  return /[\u3400-\u9fff]/.test(q) || /[\u3400-\u9fff]/.test(prev) ? mergeZh(q, prev, answer) : mergeEn(q, prev);
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

function mergeZh(q: string, prev: string, answer?: string): string {
  const { scope, topic, before, after } = splitPrevious(prev);
  const answered = answer && !REFUSAL.test(answer) ? answer : undefined;
  const defined = answered ? definedSubject(prev) : undefined;
  const subject = defined ?? `${scope}${topic}`;
  const core = q.replace(/[？?。！!\s]+$/u, "");

  // 那粮食安全呢？ / 还有农业方面呢 → the previous question's frame about the new topic.
  const swapped = core.replace(ZH_LEADING, "").replace(/呢$/, "").trim();
  if ((ZH_LEADING.test(core) || ZH_TRAILING.test(q)) && questionTerms(swapped).length > 0 && !ZH_DEMONSTRATIVE.test(swapped) && !ZH_PERSON_PRONOUN.test(swapped)) {
    return topic ? `${before}${swapped}${after}？` : `${swapped}，${prev}`;
  }

  // 他还说了什么 → the person the previous question names; 这些措施中哪项… → the previous topic.
  let out = core;
  // 他是哪个单位的？ after 是谁讲解的 → 由王延中同志……讲解: 他 is the person the reply named.
  const answeredNames = answered && ASKED_WHO.test(prev) ? namesInAnswer(answered).filter((n) => !prev.includes(n)) : [];
  if (answeredNames.length && ZH_PERSON_PRONOUN.test(out)) {
    const plural = /他们|她们/.test(out.match(ZH_PERSON_PRONOUN)![0]);
    return `${out.replace(ZH_PERSON_PRONOUN, plural ? answeredNames.join("、") : answeredNames[0])}？`;
  }
  const person = segmenter()
    .tag(prev, true)
    .find((t) => /^nr/.test(t.tag) && [...t.word].length >= 2)?.word;
  if (ZH_PERSON_PRONOUN.test(out) && person) out = out.replace(ZH_PERSON_PRONOUN, person);
  if (ZH_DEMONSTRATIVE.test(out) && subject) {
    out = out.replace(ZH_DEMONSTRATIVE, (m, at: number) => {
      if (m === "其中") return `${subject}中`;
      // 它/其, or 这个/该 standing alone before the predicate (该如何推动): the thing itself; before a noun (这个目标): its.
      const alone = /^(它|它们|其)$/.test(m) || (/^(这个|那个|该|这一|这项)$/.test(m) && /^(是|有|在|要|如何|怎么|怎样|为什么|为何|指|包括|能|会|将|对|与|和|？|$)/.test(out.slice(at + m.length)));
      return alone ? subject : `${subject}的`;
    });
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
