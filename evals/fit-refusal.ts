/**
 * `npm run fit:refusal`: fits the refusal decision (server/answer/refusal.ts) on the labelled cases of
 * evals/qa.jsonl — answerable or not — and writes server/answer/refusal-model.json.
 *
 * Each case is asked as the pipeline asks it (follow-ups rewritten, the same retrieval), and the
 * features of (question, passages) are measured by the same code the server runs (judgeQuestion).
 * The same cases in the neutral framings of evals/variants.ts are extra rows with the same label, so
 * that a framing word never teaches the model anything. Then an L2-regularised logistic regression
 * on standardised features; the regularisation and the threshold are chosen by 5-fold
 * cross-validation, folds by case (a case's framings stay together); the threshold minimises the
 * errors' cost, each kind weighed against what the product tolerates of it (see TOLERANCE).
 *
 *   npm run fit:refusal                                  offline features
 *   npm run fit:refusal -- --semantic-url http://127.0.0.1:8089/v1 --semantic-model multilingual-e5-small-q4
 *                                                        also fits the model with the semantic feature, on the
 *                                                        index that model builds (--semantic-index <dir>)
 *   npm run fit:refusal -- --dry-run                     print, do not write
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readSettings } from "../config/settings.ts";
import { openIndex } from "../ingest/build.ts";
import { createExtractiveGenerator } from "../server/answer/generator.ts";
import { standaloneQuestion } from "../server/answer/follow-up.ts";
import { DEFAULT_K, judgeQuestion, retrieve } from "../server/answer/pipeline.ts";
import { FEATURES, FEATURE_SIGNS, MODEL_FILE, type FeatureName, type LogisticModel, type RefusalModelFile } from "../server/answer/refusal.ts";
import type { Features } from "../server/answer/evidence.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { loadCases, type EvalCase } from "./cases.ts";
import { VARIANT_TEMPLATES } from "./variants.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OFFLINE: FeatureName[] = ["coverage", "sentence", "unbridged", "nounsUnbridged", "slotMissing", "numbersMissing", "agreement"];
const LAMBDAS = [0.03, 0.1, 0.3, 1, 3];
const FOLDS = 5;

interface Row {
  group: string;
  question: string;
  y: number;
  f: Features;
}

/** One case (and its framings) measured as the pipeline would. */
async function rows(c: EvalCase, index: SearchIndex): Promise<Row[]> {
  const generator = createExtractiveGenerator();
  const history = c.history ?? [];
  const questions = [c.question];
  for (const t of VARIANT_TEMPLATES) {
    if (t.lang !== c.lang) continue;
    const q = t.frame(c.question);
    if (q && !questions.includes(q)) questions.push(q);
  }
  const out: Row[] = [];
  for (const q of questions) {
    const { question } = await standaloneQuestion(q, history, generator, { index });
    const hits = await retrieve(question, index, DEFAULT_K);
    const { evidence } = await judgeQuestion(question, hits, index);
    out.push({ group: c.id, question, y: c.answerable ? 1 : 0, f: evidence.features });
  }
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Logistic regression with each weight kept to the sign its feature allows (FEATURE_SIGNS): a weight
 * fitted the other way (a quirk of the labelled cases, e.g. near misses being about well-covered
 * topics) is fixed at 0 and the rest refitted.
 */
export function fitLogistic(X: number[][], y: number[], lambda: number, names: FeatureName[]): LogisticModel {
  let active = names.map((_, j) => j);
  for (;;) {
    const sub = fitUnconstrained(X.map((x) => active.map((j) => x[j])), y, lambda, active.map((j) => names[j]));
    const wrong = active.filter((j, k) => Math.sign(sub.weights[k]) === -FEATURE_SIGNS[names[j]]);
    if (!wrong.length) {
      const full: LogisticModel = { features: names, bias: sub.bias, weights: names.map(() => 0), mean: names.map(() => 0), scale: names.map(() => 1) };
      active.forEach((j, k) => {
        full.weights[j] = sub.weights[k];
        full.mean[j] = sub.mean[k];
        full.scale[j] = sub.scale[k];
      });
      return full;
    }
    // Drop the worst offender and refit.
    const worst = wrong.reduce((a, b) => (Math.abs(sub.weights[active.indexOf(a)]) >= Math.abs(sub.weights[active.indexOf(b)]) ? a : b));
    active = active.filter((j) => j !== worst);
  }
}

/** L2-regularised logistic regression by Newton's method on standardised features (the bias is not penalised). */
function fitUnconstrained(X: number[][], y: number[], lambda: number, names: FeatureName[]): LogisticModel {
  const d = names.length;
  const mean = names.map((_, j) => X.reduce((s, x) => s + x[j], 0) / X.length);
  const scale = names.map((_, j) => Math.sqrt(X.reduce((s, x) => s + (x[j] - mean[j]) ** 2, 0) / X.length) || 1);
  const Z = X.map((x) => [1, ...x.map((v, j) => (v - mean[j]) / scale[j])]);
  // Classes weighted to equal total weight: refusals are few, and each class's errors count alike.
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  const weight = y.map((v) => (v === 1 ? y.length / (2 * pos) : y.length / (2 * neg)));
  let w = new Array(d + 1).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Array(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
    Z.forEach((z, i) => {
      const p = sigmoid(z.reduce((s, v, j) => s + v * w[j], 0));
      for (let a = 0; a <= d; a++) {
        g[a] += weight[i] * (y[i] - p) * z[a];
        for (let b = 0; b <= d; b++) H[a][b] += weight[i] * p * (1 - p) * z[a] * z[b];
      }
    });
    for (let a = 1; a <= d; a++) {
      g[a] -= lambda * w[a];
      H[a][a] += lambda;
    }
    H[0][0] += 1e-9;
    const step = solve(H, g);
    w = w.map((v, j) => v + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { features: names, bias: w[0], weights: w.slice(1), mean, scale };
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const pivot = M[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / pivot;
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / (M[i][i] || 1e-12));
}

function predict(m: LogisticModel, x: number[]): number {
  return sigmoid(m.bias + x.reduce((s, v, j) => s + m.weights[j] * ((v - m.mean[j]) / (m.scale[j] || 1)), 0));
}

/** Out-of-fold probabilities, folds by case. */
function crossValidated(data: Row[], names: FeatureName[], lambda: number): number[] {
  const groups = [...new Set(data.map((r) => r.group))];
  const foldOf = new Map(groups.map((g, i) => [g, i % FOLDS]));
  const out = new Array(data.length).fill(0);
  for (let k = 0; k < FOLDS; k++) {
    const train = data.filter((r) => foldOf.get(r.group) !== k);
    const m = fitLogistic(train.map((r) => vec(r, names)), train.map((r) => r.y), lambda, names);
    data.forEach((r, i) => {
      if (foldOf.get(r.group) === k) out[i] = predict(m, vec(r, names));
    });
  }
  return out;
}

const vec = (r: Row, names: FeatureName[]) => names.map((n) => r.f[n] ?? 0);

function rates(p: number[], y: number[], threshold: number) {
  let fr = 0, pos = 0, fa = 0, neg = 0;
  p.forEach((v, i) => {
    if (y[i] === 1) {
      pos++;
      if (v < threshold) fr++;
    } else {
      neg++;
      if (v >= threshold) fa++;
    }
  });
  return { falseRefusal: fr / pos, wrongAnswer: fa / neg };
}

function auc(p: number[], y: number[]): number {
  const pos = p.filter((_, i) => y[i] === 1);
  const neg = p.filter((_, i) => y[i] === 0);
  let s = 0;
  for (const a of pos) for (const b of neg) s += a > b ? 1 : a === b ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

/**
 * What each error costs, as a share of what the product tolerates (issue #13: answerable questions
 * refused ≤ 3 %, near misses refused ≥ 85 %): one point of false refusals weighs as five of wrong answers.
 */
const TOLERANCE = { falseRefusal: 0.03, wrongAnswer: 0.15 };
const cost = (r: { falseRefusal: number; wrongAnswer: number }) => r.falseRefusal / TOLERANCE.falseRefusal + r.wrongAnswer / TOLERANCE.wrongAnswer;

/** The threshold (on a grid) minimising the cost of the out-of-fold errors. */
function bestThreshold(p: number[], y: number[]): number {
  let best = 0.5;
  let bestErr = Infinity;
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    const r = rates(p, y, t);
    const err = cost(r);
    if (err < bestErr - 1e-9) {
      bestErr = err;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

function fitAll(data: Row[], names: FeatureName[]) {
  const y = data.map((r) => r.y);
  let chosen = { lambda: LAMBDAS[0], err: Infinity, threshold: 0.5, p: [] as number[] };
  for (const lambda of LAMBDAS) {
    const p = crossValidated(data, names, lambda);
    const threshold = bestThreshold(p, y);
    const err = cost(rates(p, y, threshold));
    if (err < chosen.err - 1e-9) chosen = { lambda, err, threshold, p };
  }
  const model = fitLogistic(data.map((r) => vec(r, names)), y, chosen.lambda, names);
  const cv = rates(chosen.p, y, chosen.threshold);
  return { model, lambda: chosen.lambda, threshold: chosen.threshold, cv: { ...cv, auc: auc(chosen.p, y) } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: "string", default: path.join(ROOT, "evals/qa.jsonl") },
      "semantic-url": { type: "string" },
      "semantic-model": { type: "string", default: "multilingual-e5-small-q4" },
      "semantic-index": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      /** Print the cases the cross-validated model gets wrong (to see which features mislead it). */
      errors: { type: "boolean", default: false },
      /** Print the cross-validated false refusals and wrong answers at a few thresholds. */
      curve: { type: "boolean", default: false },
    },
  });
  const settings = readSettings();
  const index = await openIndex({ corpusDir: settings.corpusDir, indexRoot: settings.indexDir, settings: settings.embedding, log: () => {} });
  const cases = loadCases(values.file!);

  const offlineRows: Row[] = [];
  for (const c of cases) offlineRows.push(...(await rows(c, index)));
  const offline = fitAll(offlineRows, OFFLINE);

  let semantic: ReturnType<typeof fitAll> | undefined;
  let semanticRows: Row[] = [];
  if (values["semantic-url"]) {
    // The index the server opens with that model (its retrieval, its query and sentence vectors), not
    // the offline index with a similarity bolted on: the features are then the ones served.
    const model = values["semantic-model"]!;
    const withModel = readSettings({ ...process.env, EMBEDDING_BASE_URL: values["semantic-url"], EMBEDDING_MODEL: model });
    const semanticIndex = await openIndex({
      corpusDir: settings.corpusDir,
      indexRoot: values["semantic-index"] ?? `${settings.indexDir.replace(/\/$/, "")}-${model}`,
      settings: withModel.embedding,
      log: (line) => console.error(line),
    });
    if (!semanticIndex.semantic) throw new Error(`${model} at ${values["semantic-url"]} gives no sentence similarity (is it a pretrained model?)`);
    for (const c of cases) semanticRows.push(...(await rows(c, semanticIndex)));
    semantic = fitAll(semanticRows, [...OFFLINE, "semantic"]);
    await semanticIndex.close();
  }

  const describe = (name: string, r: ReturnType<typeof fitAll>, n: number) => {
    console.log(`\n${name}: ${n} rows, λ=${r.lambda}, threshold ${r.threshold}`);
    console.log(`  cross-validated: false refusals ${(100 * r.cv.falseRefusal).toFixed(1)}%, wrong answers ${(100 * r.cv.wrongAnswer).toFixed(1)}%, AUC ${r.cv.auc.toFixed(3)}`);
    r.model.features.forEach((f, i) => console.log(`  ${f.padEnd(15)} ${r.model.weights[i].toFixed(3).padStart(8)}   (mean ${r.model.mean[i].toFixed(3)}, sd ${r.model.scale[i].toFixed(3)})`));
    console.log(`  ${"bias".padEnd(15)} ${r.model.bias.toFixed(3).padStart(8)}`);
  };
  describe("offline", offline, offlineRows.length);
  if (values.curve) {
    const p = crossValidated(offlineRows, OFFLINE, offline.lambda);
    for (const t of [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
      const r = rates(p, offlineRows.map((x) => x.y), t);
      console.log(`  t=${t} FR ${(100 * r.falseRefusal).toFixed(1)} WA ${(100 * r.wrongAnswer).toFixed(1)} cost ${cost(r).toFixed(3)}`);
    }
  }
  if (values.errors) {
    const p = crossValidated(offlineRows, OFFLINE, offline.lambda);
    offlineRows.forEach((r, i) => {
      const shown = (p[i] >= offline.threshold) !== (r.y === 1);
      if (shown && !r.question.includes("请") && !/^我想|^I'd|^Please/.test(r.question))
        console.log(`  ${r.y ? "REFUSED" : "ANSWERED"} p=${p[i].toFixed(2)} ${r.group} ${r.question} ${JSON.stringify(r.f)}`);
    });
  }
  if (semantic) describe("semantic", semantic, semanticRows.length);

  // One threshold serves both models (REFUSAL_THRESHOLD): the semantic model's bias is shifted so that
  // its own chosen threshold falls where the offline one is.
  if (semantic) {
    const logit = (p: number) => Math.log(p / (1 - p));
    semantic.model.bias += logit(offline.threshold) - logit(semantic.threshold);
  }
  const file: RefusalModelFile = {
    offline: offline.model,
    ...(semantic ? { semantic: semantic.model } : fs.existsSync(MODEL_FILE) ? { semantic: (JSON.parse(fs.readFileSync(MODEL_FILE, "utf8")) as RefusalModelFile).semantic } : {}),
    threshold: offline.threshold,
    fit: {
      data: `${path.relative(ROOT, values.file!)}: ${cases.length} cases (${cases.filter((c) => c.answerable).length} answerable), ${offlineRows.length} rows with the framings of evals/variants.ts`,
      offline: { lambda: offline.lambda, threshold: offline.threshold, crossValidated: offline.cv },
      ...(semantic ? { semantic: { lambda: semantic.lambda, threshold: semantic.threshold, crossValidated: semantic.cv, model: values["semantic-model"] } } : {}),
    },
  };
  if (file.semantic === undefined) delete file.semantic;
  if (values["dry-run"]) return;
  fs.writeFileSync(MODEL_FILE, JSON.stringify(file, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(ROOT, MODEL_FILE)}`);
  await index.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
void FEATURES;
