/**
 * A question asking two things in two sentences, each of a subject of its own (…会议审议的是什么文件？
 * 集体学习是谁来讲解的？), is two questions: each is searched for and answered on its own. One leaning
 * on the other (第九次集体学习是哪天进行的？由谁来讲解？) or adding to it (…有什么扶持？我是开小公司的)
 * stays one question.
 */
import { analyzeQuestion, GENERIC_WEIGHT, THING_TAG, type AnswerContext, type QuestionAnalysis } from "./analysis.ts";

export interface SubQuestion {
  text: string;
  analysis: QuestionAnalysis;
}

/** Whether a question asks for something: a slot, a list, a count, what a thing is, how or why. */
function asks(a: QuestionAnalysis): boolean {
  return a.slots.length > 0 || a.list || a.enumerate !== undefined || a.definition || a.how || a.why;
}

/** The question's parts when it asks two things of two subjects; undefined when it is one question. */
export function subQuestions(question: string, ctx: AnswerContext): SubQuestion[] | undefined {
  const pieces = question
    .split(/(?<=[？?])/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}]/u.test(s) && [...s].length >= 4);
  if (pieces.length < 2) return undefined;
  const parts = pieces.map((text) => ({ text, analysis: analyzeQuestion(text, ctx) }));
  // A part's subject: the telling things it names that the corpus knows (not 辽宁 or 工作, in most passages; not a verb).
  const subjects = parts.map((p) => p.analysis.terms.filter((t) => t.known && THING_TAG.test(t.tag) && t.weight >= GENERIC_WEIGHT).map((t) => t.text));
  const ownSubject = (i: number) => subjects[i].some((w) => !subjects.some((other, j) => j !== i && other.some((o) => o.includes(w) || w.includes(o))));
  return parts.every((p, i) => asks(p.analysis) && ownSubject(i)) ? parts : undefined;
}
