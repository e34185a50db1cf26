/**
 * The eval report: a JSON file with every observation, and a Markdown file a person reads —
 * summary table, ablation table and chart, then every failed case with what went wrong.
 */
import fs from "node:fs";
import path from "node:path";
import { ablationChart } from "./chart.ts";
import type { AblationRow, CaseResult, KindRow, Summary, VariantSummary } from "./metrics.ts";
import { evidenceRank, failureReasons } from "./metrics.ts";
import type { EvalCase } from "./cases.ts";

export interface EvalReport {
  createdAt: string;
  options: { file: string; mode: string; k: number; target: string; ablation: boolean; variants?: boolean; limit?: number; only?: string[] };
  target: Record<string, unknown>;
  summary: Summary;
  ablation: AblationRow[];
  /** Key figures per case kind. */
  kinds?: KindRow[];
  /** With --variants: how verdicts move under neutral re-framing. */
  variants?: VariantSummary;
  warnings: string[];
  cases: CaseResult[];
}

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);
const num = (v: number) => v.toFixed(3);
const ms = (v: number) => `${Math.round(v)} ms`;

/** The headline table (also printed by `npm run eval`). */
export function summaryTable(s: Summary): string {
  const rows: [string, string][] = [
    ["cases (answerable / unanswerable / follow-ups)", `${s.cases} (${s.answerable} / ${s.unanswerable} / ${s.followUps})`],
    [`retrieval hit@1 (${s.retrievalMode})`, pct(s.retrieval.hit1)],
    ["retrieval hit@3", pct(s.retrieval.hit3)],
    ["retrieval hit@5", pct(s.retrieval.hit5)],
    ["retrieval MRR", num(s.retrieval.mrr)],
    ["English hit@5", pct(s.englishHit5)],
    ["follow-up hit@5 (rewritten question)", pct(s.followUpHit5)],
    ["key-fact recall", pct(s.keyFactRecall)],
    ["all key facts", pct(s.allFactsRate)],
    ["refusal accuracy (unanswerable refused)", pct(s.unanswerable ? s.refusalAccuracy : null)],
    ["false refusals (answerable refused)", pct(s.answerable ? s.falseRefusalRate : null)],
    ["near misses refused (kind near-miss)", pct(s.nearMissRefusal)],
    [`list lines carrying a key fact (${s.listAnswers} list answers)`, pct(s.listFactShare)],
    ["citations resolve ([n] → returned citation)", pct(s.citationsResolve)],
    ["cited quotes verbatim in corpus", pct(s.quotesVerbatim)],
    ["a cited passage holds the evidence", pct(s.citedEvidence)],
    ["answer latency p50 / p95", `${ms(s.latencyP50Ms)} / ${ms(s.latencyP95Ms)}`],
    ["errors", String(s.errors)],
  ];
  return ["| metric | value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
}

export function ablationTable(rows: AblationRow[]): string {
  return [
    "| mode | hit@1 | hit@3 | hit@5 | MRR | English hit@5 | search p50 / p95 |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) =>
      r.error && !r.n
        ? `| ${r.mode} | error: ${r.error.replace(/\|/g, "/")} | | | | | |`
        : `| ${r.mode} | ${pct(r.hit1)} | ${pct(r.hit3)} | ${pct(r.hit5)} | ${num(r.mrr)} | ${pct(r.englishHit5)} | ${ms(r.p50Ms)} / ${ms(r.p95Ms)} |`,
    ),
  ].join("\n");
}

/** Key figures per case kind. */
export function kindTable(rows: KindRow[]): string {
  return [
    "| kind | cases | false refusals | refused (unanswerable) | key-fact recall | list lines with a key fact |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.kind} | ${r.cases} | ${pct(r.falseRefusalRate)} | ${pct(r.refusalRate)} | ${pct(r.keyFactRecall)} | ${pct(r.listFactShare)} |`),
  ].join("\n");
}

/** What changes when the answerable cases are asked in neutral re-framings, overall and per template. */
export function variantTable(v: VariantSummary): string {
  const s = v.summary;
  return [
    "| variants | answerability changed | key facts changed | false refusals | key-fact recall | all key facts | list lines with a key fact | hit@5 |",
    "|---|---|---|---|---|---|---|---|",
    `| all ${v.variants} (of ${v.cases} cases) | ${pct(v.answerabilityChanged)} | ${pct(v.factsChanged)} | ${pct(s.falseRefusalRate)} | ${pct(s.keyFactRecall)} | ${pct(s.allFactsRate)} | ${pct(s.listFactShare)} | ${pct(s.retrieval.hit5)} |`,
    ...v.byTemplate.map(
      (t) => `| ${t.template} (${t.variants}) | ${pct(t.answerabilityChanged)} | ${pct(t.factsChanged)} | ${pct(t.falseRefusalRate)} | ${pct(t.keyFactRecall)} | | | |`,
    ),
  ].join("\n");
}

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

function failedCase(r: CaseResult, c: EvalCase | undefined): string {
  const lines = [`### ${r.id}: ${r.question}`, ""];
  for (const reason of failureReasons(r)) lines.push(`- **${reason}**`);
  if (c?.history?.length) lines.push(`- history: ${c.history.map((t) => `${t.role}: ${oneLine(t.content, 80)}`).join(" / ")}`);
  if (r.standalone !== r.question) lines.push(`- retrieved for: ${r.standalone}`);
  if (c?.evidence.length) lines.push(`- evidence: ${c.evidence.map((e) => `\`${e}\``).join(" or ")}`);
  lines.push(`- retrieved (top ${Math.min(5, r.retrieved.length)}):`);
  r.retrieved.slice(0, 5).forEach((p, i) => {
    const hit = c?.evidence.length && evidenceRank([p], c.evidence) ? " ✅" : "";
    lines.push(`  ${i + 1}. ${oneLine(p.headingPath.join(" › ") || p.title || "", 60)}: ${oneLine(p.text, 70)}${hit}`);
  });
  lines.push(`- answer${r.refused ? " (refused)" : ""}:`, "", ...oneLine(r.answer, 600).split("\n").map((l) => `  > ${l}`), "");
  if (r.facts.missing.length) lines.push(`- missing facts: ${r.facts.missing.map((g) => g.join(" / ")).join("; ")}`);
  if (r.notice) lines.push(`- notice: ${r.notice}`);
  return lines.join("\n");
}

export function renderMarkdown(report: EvalReport, cases: EvalCase[], chartFile?: string): string {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const failed = report.cases.filter((r) => failureReasons(r).length);
  const t = report.target;
  const out = [
    `# Eval report ${report.createdAt}`,
    "",
    `Cases: \`${report.options.file}\` · target: ${report.options.target} · retrieval mode: ${report.options.mode} · k: ${report.options.k}`,
    "",
    `Generator: \`${JSON.stringify(t.generator ?? "?")}\` · embedding: \`${JSON.stringify((t.embedding as { model?: string } | undefined)?.model ?? t.embedding ?? "?")}\``,
    "",
    "## Summary",
    "",
    summaryTable(report.summary),
    "",
  ];
  if (report.ablation.length) {
    out.push("## Ablation: retrieval modes on the same questions", "", ablationTable(report.ablation), "");
    if (chartFile) out.push(`![ablation chart](${chartFile})`, "");
  }
  if (report.kinds?.some((k) => k.kind !== "(no kind)")) out.push("## By kind", "", kindTable(report.kinds), "");
  if (report.variants) {
    const v = report.variants;
    out.push("## Variants: the answerable cases in neutral re-framings", "", variantTable(v), "");
    if (v.changes.length) {
      out.push(`Variants whose verdict differs from the plain question's (${v.changes.length}):`, "");
      for (const c of v.changes) {
        const verdict = (x: { refused: boolean; met: number }) => (x.refused ? "refused" : `${x.met}/${c.total} facts`);
        out.push(`- \`${c.id}\` ${oneLine(c.question, 80)}: ${verdict(c.plain)} → ${verdict(c.variant)}`);
      }
      out.push("");
    }
  }
  if (report.warnings.length) out.push("## Warnings", "", ...report.warnings.map((w) => `- ${w}`), "");
  out.push(`## Failed cases (${failed.length} of ${report.cases.length})`, "");
  for (const r of failed) out.push(failedCase(r, byId.get(r.id)), "");
  return out.join("\n");
}

/**
 * The report as stored: retrieved passages shortened to their id, heading, an excerpt and whether
 * they hold the evidence (full texts of 10 passages × every case made the file megabytes);
 * cited quotes are kept whole, since they are what the citation checks judged.
 */
export function forJson(report: EvalReport, cases: EvalCase[]): unknown {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return {
    ...report,
    cases: report.cases.map((r) => {
      const evidence = byId.get(r.id)?.evidence ?? [];
      return {
        ...r,
        retrieved: r.retrieved.map((p) => ({
          chunkId: p.chunkId,
          headingPath: p.headingPath,
          excerpt: oneLine(p.text, 80),
          ...(evidence.length ? { hit: evidenceRank([p], evidence) !== null } : {}),
        })),
      };
    }),
  };
}

/** Writes <stamp>.json, <stamp>.md and (with an ablation) <stamp>.svg into dir; returns their paths. */
export function writeReport(report: EvalReport, cases: EvalCase[], dir: string): { json: string; md: string; svg?: string } {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = report.createdAt.replace(/[:.]/g, "-");
  const json = path.join(dir, `${stamp}.json`);
  const md = path.join(dir, `${stamp}.md`);
  let svg: string | undefined;
  if (report.ablation.length) {
    svg = path.join(dir, `${stamp}.svg`);
    fs.writeFileSync(svg, ablationChart(report.ablation));
  }
  fs.writeFileSync(json, JSON.stringify(forJson(report, cases), null, 1));
  fs.writeFileSync(md, renderMarkdown(report, cases, svg && path.basename(svg)));
  return { json, md, ...(svg ? { svg } : {}) };
}
