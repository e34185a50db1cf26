/**
 * The eval gate: the figures a change must not fall below (evals/thresholds.json), shared by the
 * gate test in `npm test` and `npm run eval -- --check`.
 *
 * The file holds one block per case set, named by its file (`qa` for evals/qa.jsonl), each with an
 * optional `variants` block for its re-framed questions, and a `default` block every set gets first
 * (the invariants: citations resolve, quotes verbatim, no errors). A set without a block of its own
 * is checked against the defaults alone. `npm run eval -- --all --variants --suggest-thresholds`
 * prints blocks at today's figures minus a small margin, to paste in after a deliberate change.
 */
import fs from "node:fs";
import path from "node:path";
import type { Summary, VariantSummary } from "./metrics.ts";

export interface Thresholds {
  /** Metric → lowest acceptable value. */
  min: Record<string, number>;
  /** Metric → highest acceptable value. */
  max: Record<string, number>;
}

export interface SetThresholds extends Partial<Thresholds> {
  /** For the set's re-framed questions (`--variants`). */
  variants?: Partial<Thresholds>;
}

export interface ThresholdFile {
  default?: SetThresholds;
  sets: Record<string, SetThresholds>;
}

export const THRESHOLDS_FILE = path.join(import.meta.dirname, "thresholds.json");

export function readThresholdFile(file = THRESHOLDS_FILE): ThresholdFile {
  const t = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<ThresholdFile>;
  return { default: t.default, sets: t.sets ?? {} };
}

/** A case file's set name: its base name without .jsonl (evals/qa.jsonl → "qa"). */
export function setName(file: string): string {
  return path.basename(file).replace(/\.jsonl$/i, "");
}

const merged = (...blocks: (Partial<Thresholds> | undefined)[]): Thresholds => ({
  min: Object.assign({}, ...blocks.map((b) => b?.min ?? {})),
  max: Object.assign({}, ...blocks.map((b) => b?.max ?? {})),
});

/**
 * The thresholds of one set (its block over the defaults), or of its variants (the variants block
 * over the defaults); `own` says whether the file has a block of that set at all.
 */
export function thresholdsFor(set: string, opts: { variants?: boolean; file?: string } = {}): Thresholds & { own: boolean } {
  const t = readThresholdFile(opts.file);
  const block = t.sets[set];
  const part = opts.variants ? block?.variants : block;
  const defaults = opts.variants ? t.default?.variants ?? t.default : t.default;
  return { ...merged(defaults, part), own: !!part };
}

/**
 * The summary flattened to metric names (hit1, hit3, hit5, mrr, then every numeric Summary field);
 * null = not measured: the answerable-case rates of a set without answerable cases, the refusal
 * accuracy of a set without unanswerable ones.
 */
export function metricValues(s: Summary): Record<string, number | null> {
  const out: Record<string, number | null> = { ...s.retrieval };
  for (const [k, v] of Object.entries(s)) if (typeof v === "number" || v === null) out[k] = v;
  if (!s.unanswerable) out.refusalAccuracy = null;
  if (!s.answerable) {
    for (const k of ["hit1", "hit3", "hit5", "mrr", "keyFactRecall", "allFactsRate", "falseRefusalRate", "citedEvidence"]) out[k] = null;
  }
  return out;
}

/** The variants' figures by name: every metric of their summary plus answerabilityChanged and factsChanged. */
export function variantValues(v: VariantSummary): Record<string, number | null> {
  return { ...metricValues(v.summary), answerabilityChanged: v.answerabilityChanged, factsChanged: v.factsChanged };
}

/**
 * The thresholds the figures break, one line each (empty = the gate passes). A metric the cases
 * cannot measure (e.g. English hit@5 on a file without English cases) is skipped, not failed.
 */
export function checkThresholds(s: Summary, t: Thresholds): string[] {
  return checkValues(metricValues(s), t);
}

/** checkThresholds over figures already flattened by name (e.g. variantValues). */
export function checkValues(values: Record<string, number | null>, t: Thresholds): string[] {
  const problems: string[] = [];
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));
  for (const [name, limit] of Object.entries(t.min)) {
    const v = values[name];
    if (v === undefined) problems.push(`${name}: no such metric`);
    else if (v !== null && v < limit) problems.push(`${name} = ${fmt(v)}, below the threshold ${fmt(limit)}`);
  }
  for (const [name, limit] of Object.entries(t.max)) {
    const v = values[name];
    if (v === undefined) problems.push(`${name}: no such metric`);
    else if (v !== null && v > limit) problems.push(`${name} = ${fmt(v)}, above the threshold ${fmt(limit)}`);
  }
  return problems;
}

/** Suggested thresholds sit this far on the passing side of today's figure, or one case's worth when that is more. */
const MARGIN = 0.02;

/**
 * A thresholds block at today's figures with a small margin (0.02, or one case of the metric's
 * denominator when that is more; rounded to 0.005 toward passing): what to paste into
 * evals/thresholds.json after a change that moved the figures on purpose. Invariants stay exact
 * (citations resolve, quotes verbatim at 100 %, no errors).
 */
export function suggestThresholds(s: Summary, variants?: VariantSummary): Thresholds {
  const values = variants ? variantValues(variants) : metricValues(s);
  const n = (count: number) => Math.max(MARGIN, count ? 1 / count : 0);
  const lower: Record<string, number> = {
    hit1: n(s.answerable), hit3: n(s.answerable), hit5: n(s.answerable), mrr: n(s.answerable),
    englishHit5: n(s.englishCases), followUpHit5: n(s.followUps), keyFactRecall: n(s.answerable),
    allFactsRate: n(s.answerable), refusalAccuracy: n(s.unanswerable), nearMissRefusal: n(s.nearMisses),
    listFactShare: n(s.listAnswers), citedEvidence: n(s.answerable),
  };
  const upper: Record<string, number> = {
    falseRefusalRate: n(s.answerable),
    ...(variants ? { answerabilityChanged: n(variants.variants), factsChanged: n(variants.variants) } : {}),
  };
  const min: Record<string, number> = {};
  const max: Record<string, number> = {};
  for (const [name, margin] of Object.entries(lower)) {
    const v = values[name];
    if (typeof v === "number") min[name] = Math.max(0, Math.floor((v - margin) * 200 + 1e-9) / 200);
  }
  for (const [name, margin] of Object.entries(upper)) {
    const v = values[name];
    if (typeof v === "number") max[name] = Math.min(1, Math.ceil((v + margin) * 200 - 1e-9) / 200);
  }
  if (values.citationsResolve === 1) min.citationsResolve = 1;
  if (values.quotesVerbatim === 1) min.quotesVerbatim = 1;
  if (values.errors === 0) max.errors = 0;
  return { min, max };
}
