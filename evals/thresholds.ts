/**
 * The eval gate: the figures a change must not fall below (evals/thresholds.json), shared by the
 * gate test in `npm test` and `npm run eval -- --check`.
 */
import fs from "node:fs";
import path from "node:path";
import type { Summary } from "./metrics.ts";

export interface Thresholds {
  /** Metric → lowest acceptable value. */
  min: Record<string, number>;
  /** Metric → highest acceptable value. */
  max: Record<string, number>;
}

export const THRESHOLDS_FILE = path.join(import.meta.dirname, "thresholds.json");

export function readThresholds(file = THRESHOLDS_FILE): Thresholds {
  const t = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Thresholds>;
  return { min: t.min ?? {}, max: t.max ?? {} };
}

/** The summary flattened to metric names (hit1, hit3, hit5, mrr, then every numeric Summary field; null = not measured). */
export function metricValues(s: Summary): Record<string, number | null> {
  const out: Record<string, number | null> = { ...s.retrieval };
  for (const [k, v] of Object.entries(s)) if (typeof v === "number" || v === null) out[k] = v;
  return out;
}

/**
 * The thresholds the summary breaks, one line each (empty = the gate passes). A metric the cases
 * cannot measure (e.g. English hit@5 on a file without English cases) is skipped, not failed.
 */
export function checkThresholds(s: Summary, t: Thresholds): string[] {
  const values = metricValues(s);
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
