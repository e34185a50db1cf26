/**
 * The CC-CEDICT paraphrase bridges (vectors/word-facts.ts), built from a handful of dictionary
 * entries made up for the purpose, so each rule is seen on its own.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildWordFacts, singularSense } from "../vectors/word-facts.ts";
import type { CedictEntry } from "../vectors/cedict.ts";

const entry = (zh: string, gloss: string): CedictEntry => [zh, zh, "x", gloss.split("; ")];
const bridged = (facts: ReturnType<typeof buildWordFacts>, word: string) => (facts.bridges[word] ?? []).map(([w]) => w);

test("a sense in the plural meets the same sense in the singular", () => {
  assert.equal(singularSense("children"), "child");
  assert.equal(singularSense("universities and colleges"), "university and college");
  assert.equal(singularSense("news"), "news", "an uncountable stays");
  assert.equal(singularSense("its gas bus"), "its gas bus", "short words are not read as plurals");
  const facts = buildWordFacts(["子女"], [entry("子女", "children; sons and daughters"), entry("小孩", "child")]);
  assert.deepEqual(bridged(facts, "小孩"), ["子女"]);
});

test("a one-word sense is within a two-word one only as its head, and only for a word the corpus does not use", () => {
  const entries = [
    entry("学子", "student"),
    entry("大学生", "university student"),
    entry("神童", "child prodigy"),
    entry("子女", "child"),
    entry("亲自", "in person"),
    entry("百姓", "ordinary person"),
    entry("研究生", "graduate student"),
  ];
  const facts = buildWordFacts(["学子", "子女", "亲自", "研究生"], entries);
  assert.ok(bridged(facts, "大学生").includes("学子"), "student is the head of university student");
  assert.ok(!bridged(facts, "神童").includes("子女"), "child is no head of child prodigy");
  assert.ok(!bridged(facts, "百姓").includes("亲自"), "in person is not the sense person");
  assert.ok(!bridged(facts, "研究生").includes("学子"), "研究生 is a corpus word: it is matched as itself");
});
