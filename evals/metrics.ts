/**
 * The eval's measures, as pure functions over what a run observed, so each can be tested on
 * constructed inputs: retrieval hit@k / MRR, key-fact recall, citation checks, refusals, latency.
 */
import { compact, normalizeForMatch, type CaseKind } from "./cases.ts";

/** A retrieved or cited passage, as either target (in-process or HTTP) reports it. */
export interface Passage {
  chunkId?: string;
  title?: string;
  headingPath: string[];
  text: string;
}

export interface CitedPassage extends Passage {
  n: number;
}

export interface RetrievalOutcome {
  /** 1-based rank of the first passage holding the evidence; null when none of them does. */
  rank: number | null;
  ms: number;
  error?: string;
}

export interface FactCoverage {
  met: number;
  total: number;
  /** The groups the answer missed (each shown with its alternatives). */
  missing: string[][];
}

export interface CitationCheck {
  /** [n] markers found in the answer (distinct, in order of first use). */
  markers: number[];
  /** Markers without a returned citation of that number. */
  unresolved: number[];
  /** Citations whose quote is not verbatim in the corpus (whitespace-insensitive). */
  notVerbatim: number[];
  /** Whether a cited passage holds the evidence; null when not applicable (no evidence, refused, no citations). */
  evidenceCited: boolean | null;
}

/** The list lines of an answer and how many of them carry a key fact. */
export interface ListFacts {
  /** Lines starting with "- " (one sentence each in the extractive answer). */
  total: number;
  /** Of those, the lines containing at least one `must` phrase of the case. */
  withFact: number;
}

/** Everything observed for one case. */
export interface CaseResult {
  id: string;
  /** The case's kind, when it has one. */
  kind?: CaseKind;
  question: string;
  lang: "zh" | "en";
  answerable: boolean;
  followUp: boolean;
  /** The question retrieval was scored on: the standalone question the pipeline reports. */
  standalone: string;
  retrieved: Passage[];
  retrieval: RetrievalOutcome;
  /** Retrieval of the same standalone question in every mode (ablation runs). */
  ablation?: Record<string, RetrievalOutcome>;
  answer: string;
  refused: boolean;
  citations: CitedPassage[];
  notice?: string;
  generator?: string;
  facts: FactCoverage;
  /** The answer's list lines (total 0 when the answer is no list). */
  list: ListFacts;
  citation: CitationCheck;
  latencyMs: number;
  error?: string;
}

export interface RetrievalSummary {
  n: number;
  hit1: number;
  hit3: number;
  hit5: number;
  mrr: number;
}

export interface Summary {
  cases: number;
  answerable: number;
  unanswerable: number;
  followUps: number;
  errors: number;
  retrievalMode: string;
  retrieval: RetrievalSummary;
  /** Answerable English cases (what englishHit5 is measured on). */
  englishCases: number;
  /** hit@5 on the English cases alone (null when there are none). */
  englishHit5: number | null;
  /** hit@5 on the follow-ups alone, retrieved as their rewritten standalone question (null when there are none). */
  followUpHit5: number | null;
  keyFactRecall: number;
  allFactsRate: number;
  refusalAccuracy: number;
  falseRefusalRate: number;
  /** Cases of kind "near-miss". */
  nearMisses: number;
  /** Share of the near-miss cases (kind "near-miss") refused; null when no case has that kind. */
  nearMissRefusal: number | null;
  /** Answered, answerable cases whose answer is a list. */
  listAnswers: number;
  /** Over the list lines of those answers: the share carrying a key fact; null when no answer is a list. */
  listFactShare: number | null;
  /** Share of answers whose every [n] resolves to a returned citation. */
  citationsResolve: number;
  /** Share of answers whose every cited quote is verbatim in the corpus. */
  quotesVerbatim: number;
  /** Share of answered, answerable cases where a cited passage holds the evidence. */
  citedEvidence: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

export interface AblationRow {
  mode: string;
  n: number;
  hit1: number;
  hit3: number;
  hit5: number;
  mrr: number;
  englishHit5: number | null;
  p50Ms: number;
  p95Ms: number;
  error?: string;
}

/** Rank (1-based) of the first passage whose whitespace-free text contains one of the snippets. */
export function evidenceRank(passages: Passage[], evidence: string[]): number | null {
  const snippets = evidence.map(compact).filter(Boolean);
  if (!snippets.length) return null;
  const i = passages.findIndex((p) => {
    const text = compact(p.text);
    return snippets.some((s) => text.includes(s));
  });
  return i < 0 ? null : i + 1;
}

/** hit@1/3/5 and MRR over the ranks of the answerable cases (null = not found). */
export function retrievalSummary(ranks: (number | null)[]): RetrievalSummary {
  const n = ranks.length;
  if (!n) return { n: 0, hit1: 0, hit3: 0, hit5: 0, mrr: 0 };
  const hit = (k: number) => ranks.filter((r) => r !== null && r <= k).length / n;
  const mrr = ranks.reduce<number>((sum, r) => sum + (r ? 1 / r : 0), 0) / n;
  return { n, hit1: hit(1), hit3: hit(3), hit5: hit(5), mrr };
}

/** Which `must` groups the answer meets (one phrase of a group is enough; spacing and width ignored). */
export function factCoverage(answer: string, must: string[][]): FactCoverage {
  const text = normalizeForMatch(answer);
  const missing = must.filter((group) => !group.some((phrase) => text.includes(normalizeForMatch(phrase))));
  return { met: must.length - missing.length, total: must.length, missing };
}

/**
 * The list lines of an answer (lines starting with "- ") and how many contain a key fact: any phrase
 * of any `must` group, matched as `factCoverage` matches. A list padded with sentences that answer
 * nothing scores low even when its one good line meets every group.
 */
export function listFacts(answer: string, must: string[][]): ListFacts {
  const lines = answer.split("\n").filter((l) => /^\s*- /.test(l)).map(normalizeForMatch);
  const phrases = must.flat().map(normalizeForMatch).filter(Boolean);
  return { total: lines.length, withFact: lines.filter((l) => phrases.some((p) => l.includes(p))).length };
}

/** The citation numbers used in an answer: [1], [2][3], [1, 2], [1，2], [1、2] (distinct, first use first). */
export function citationMarkers(answer: string): number[] {
  const seen: number[] = [];
  for (const m of answer.matchAll(/\[(\d+(?:\s*[,，、]\s*\d+)*)\]/g)) {
    for (const part of m[1].split(/[,，、]/)) {
      const n = Number(part.trim());
      if (!seen.includes(n)) seen.push(n);
    }
  }
  return seen;
}

/**
 * The citation checks for one answer: every [n] resolves; every cited quote is verbatim in the corpus
 * (any of `sources`, compared without whitespace); a cited passage holds the evidence.
 */
export function checkCitations(opts: {
  answer: string;
  citations: CitedPassage[];
  /** Whitespace-free reference texts (the corpus files, and the cleaned articles when known). */
  sources: string[];
  evidence: string[];
  refused: boolean;
}): CitationCheck {
  const markers = citationMarkers(opts.answer);
  const numbers = new Set(opts.citations.map((c) => c.n));
  const unresolved = markers.filter((n) => !numbers.has(n));
  const notVerbatim = opts.citations
    .filter((c) => {
      const quote = compact(c.text);
      return !quote || !opts.sources.some((s) => s.includes(quote));
    })
    .map((c) => c.n);
  const evidenceCited =
    opts.refused || !opts.evidence.length || !opts.citations.length
      ? null
      : evidenceRank(opts.citations, opts.evidence) !== null;
  return { markers, unresolved, notVerbatim, evidenceCited };
}

/** Nearest-rank percentile (p in 0..100); 0 for no values. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const share = (part: number, whole: number) => (whole ? part / whole : 0);

/** The run's headline figures. Errors count against every rate (an error is never a success). */
export function summarize(results: CaseResult[], retrievalMode: string): Summary {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const english = answerable.filter((r) => r.lang === "en");
  const followUps = answerable.filter((r) => r.followUp);
  // A refused answerable case meets no facts, whatever its refusal text happens to quote.
  const recall = answerable.map((r) => (r.refused || r.error ? 0 : share(r.facts.met, r.facts.total)));
  const answered = results.filter((r) => !r.error && !r.refused && r.answer.trim());
  const withEvidence = answerable.filter((r) => !r.error && !r.refused);
  const nearMisses = results.filter((r) => r.kind === "near-miss");
  const lists = withEvidence.filter((r) => r.list.total > 0);
  const listLines = lists.reduce((n, r) => n + r.list.total, 0);
  return {
    cases: results.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    followUps: results.filter((r) => r.followUp).length,
    errors: results.filter((r) => r.error).length,
    retrievalMode,
    retrieval: retrievalSummary(answerable.map((r) => r.retrieval.rank)),
    englishCases: english.length,
    englishHit5: english.length ? retrievalSummary(english.map((r) => r.retrieval.rank)).hit5 : null,
    followUpHit5: followUps.length ? retrievalSummary(followUps.map((r) => r.retrieval.rank)).hit5 : null,
    keyFactRecall: share(recall.reduce((a, b) => a + b, 0), recall.length),
    allFactsRate: share(recall.filter((x) => x === 1).length, recall.length),
    refusalAccuracy: share(unanswerable.filter((r) => r.refused && !r.error).length, unanswerable.length),
    falseRefusalRate: share(answerable.filter((r) => r.refused).length, answerable.length),
    nearMisses: nearMisses.length,
    nearMissRefusal: nearMisses.length ? share(nearMisses.filter((r) => r.refused && !r.error).length, nearMisses.length) : null,
    listAnswers: lists.length,
    listFactShare: listLines ? lists.reduce((n, r) => n + r.list.withFact, 0) / listLines : null,
    citationsResolve: share(answered.filter((r) => !r.citation.unresolved.length).length, answered.length),
    quotesVerbatim: share(answered.filter((r) => !r.citation.notVerbatim.length).length, answered.length),
    citedEvidence: share(withEvidence.filter((r) => r.citation.evidenceCited === true).length, withEvidence.length),
    latencyP50Ms: percentile(results.map((r) => r.latencyMs), 50),
    latencyP95Ms: percentile(results.map((r) => r.latencyMs), 95),
  };
}

/** Key figures for the cases of one kind (null where the kind has no such cases). */
export interface KindRow {
  /** The kind, or "(no kind)" for cases without one. */
  kind: string;
  cases: number;
  answerable: number;
  /** Share of the answerable cases refused. */
  falseRefusalRate: number | null;
  /** Share of the unanswerable cases refused. */
  refusalRate: number | null;
  keyFactRecall: number | null;
  listFactShare: number | null;
}

export const NO_KIND = "(no kind)";

/** The key figures per kind, in order of first appearance (cases without a kind under "(no kind)"). */
export function kindRows(results: CaseResult[]): KindRow[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const k = r.kind ?? NO_KIND;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups].map(([kind, rs]) => {
    const s = summarize(rs, "");
    return {
      kind,
      cases: rs.length,
      answerable: s.answerable,
      falseRefusalRate: s.answerable ? s.falseRefusalRate : null,
      refusalRate: s.unanswerable ? s.refusalAccuracy : null,
      keyFactRecall: s.answerable ? s.keyFactRecall : null,
      listFactShare: s.listFactShare,
    };
  });
}

/** One row per retrieval mode, from the per-case ablation outcomes. */
export function ablationRows(results: CaseResult[], modes: string[]): AblationRow[] {
  const answerable = results.filter((r) => r.answerable);
  return modes.map((mode) => {
    const outcomes = answerable.map((r) => r.ablation?.[mode]).filter((o): o is RetrievalOutcome => !!o);
    const english = answerable.filter((r) => r.lang === "en").map((r) => r.ablation?.[mode]?.rank ?? null);
    const error = outcomes.find((o) => o.error)?.error;
    const all = results.map((r) => r.ablation?.[mode]).filter((o): o is RetrievalOutcome => !!o && !o.error);
    return {
      mode,
      ...retrievalSummary(outcomes.map((o) => o.rank)),
      englishCases: english.length,
    englishHit5: english.length ? retrievalSummary(english).hit5 : null,
      p50Ms: percentile(all.map((o) => o.ms), 50),
      p95Ms: percentile(all.map((o) => o.ms), 95),
      ...(error ? { error } : {}),
    };
  });
}

/** Why a case counts as failed (empty = passed); the report lists every failed case with these. */
export function failureReasons(r: CaseResult): string[] {
  const reasons: string[] = [];
  if (r.error) reasons.push(`error: ${r.error}`);
  if (!r.answerable) {
    if (!r.refused) reasons.push("answered a question the corpus cannot answer");
  } else {
    if (r.retrieval.rank === null || r.retrieval.rank > 5) reasons.push("evidence not in the top 5 passages");
    if (r.refused) reasons.push("refused an answerable question");
    else if (r.facts.missing.length) reasons.push(`missing ${r.facts.missing.length} of ${r.facts.total} key facts`);
    if (!r.refused && r.citation.evidenceCited === false) reasons.push("no cited passage holds the evidence");
  }
  if (r.citation.unresolved.length) reasons.push(`unresolved citation markers ${r.citation.unresolved.map((n) => `[${n}]`).join("")}`);
  if (r.citation.notVerbatim.length) reasons.push(`quotes not verbatim in the corpus ${r.citation.notVerbatim.map((n) => `[${n}]`).join("")}`);
  return reasons;
}

/** One re-framed question's result, with the plain case it re-frames. */
export interface VariantResult {
  /** The plain case's id. */
  of: string;
  template: string;
  result: CaseResult;
}

/** A variant whose verdict differs from its plain question's (listed in the report). */
export interface VariantChange {
  id: string;
  question: string;
  /** What changed: "answerability" (refused one way and not the other) and/or "facts" (another set of key facts met). */
  changed: ("answerability" | "facts")[];
  plain: { refused: boolean; met: number };
  variant: { refused: boolean; met: number };
  total: number;
}

export interface VariantTemplateRow {
  template: string;
  variants: number;
  answerabilityChanged: number;
  factsChanged: number;
  falseRefusalRate: number;
  keyFactRecall: number;
}

export interface VariantSummary {
  /** Variants asked, and the plain cases they re-frame. */
  variants: number;
  cases: number;
  /** Share of variants refused where the plain question was answered, or the other way round. */
  answerabilityChanged: number;
  /** Share of variants meeting another set of key-fact groups than the plain question (a refusal meets none). */
  factsChanged: number;
  /** The headline figures over all variants (false refusals, recall, list lines, …). */
  summary: Summary;
  byTemplate: VariantTemplateRow[];
  changes: VariantChange[];
}

const metCount = (r: CaseResult) => (r.refused || r.error ? 0 : r.facts.met);

/** The key-fact groups an answer meets, as a comparable key (a refused or failed answer meets none: ""). */
function metKey(r: CaseResult): string {
  if (!metCount(r)) return "";
  return `missing:${r.facts.missing.map((g) => JSON.stringify(g)).sort().join("|")}`;
}

function changesOf(v: VariantResult, plain: CaseResult): VariantChange["changed"] {
  const changed: VariantChange["changed"] = [];
  if (v.result.refused !== plain.refused || !!v.result.error !== !!plain.error) changed.push("answerability");
  if (metKey(v.result) !== metKey(plain)) changed.push("facts");
  return changed;
}

/**
 * How the verdicts move under neutral re-framing: the share of variants whose answerability or
 * key-fact set differs from the plain question's, and the headline figures over the variants.
 */
export function summarizeVariants(plain: CaseResult[], variants: VariantResult[], retrievalMode: string): VariantSummary {
  const byId = new Map(plain.map((r) => [r.id, r]));
  const rows = variants.filter((v) => byId.has(v.of)).map((v) => ({ v, changed: changesOf(v, byId.get(v.of)!) }));
  const rate = (rs: typeof rows, what: "answerability" | "facts") => share(rs.filter((r) => r.changed.includes(what)).length, rs.length);
  const templates = [...new Set(rows.map((r) => r.v.template))];
  return {
    variants: rows.length,
    cases: new Set(rows.map((r) => r.v.of)).size,
    answerabilityChanged: rate(rows, "answerability"),
    factsChanged: rate(rows, "facts"),
    summary: summarize(rows.map((r) => r.v.result), retrievalMode),
    byTemplate: templates.map((template) => {
      const rs = rows.filter((r) => r.v.template === template);
      const s = summarize(rs.map((r) => r.v.result), retrievalMode);
      return {
        template,
        variants: rs.length,
        answerabilityChanged: rate(rs, "answerability"),
        factsChanged: rate(rs, "facts"),
        falseRefusalRate: s.falseRefusalRate,
        keyFactRecall: s.keyFactRecall,
      };
    }),
    changes: rows
      .filter((r) => r.changed.length)
      .map(({ v, changed }) => {
        const p = byId.get(v.of)!;
        return {
          id: v.result.id,
          question: v.result.question,
          changed,
          plain: { refused: p.refused, met: metCount(p) },
          variant: { refused: v.result.refused, met: metCount(v.result) },
          total: p.facts.total,
        };
      }),
  };
}
