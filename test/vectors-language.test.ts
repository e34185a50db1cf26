import { test } from "node:test";
import assert from "node:assert/strict";
import { questionLanguage, textLanguage } from "../vectors/language.ts";

test("a Chinese place name inside an English question keeps it English", () => {
  assert.equal(questionLanguage("What does 辽宁 plan for offshore wind?"), "en");
  assert.equal(questionLanguage("What are the goals for clean energy?"), "en");
});

test("Chinese questions, even with an English acronym or model name, are Chinese", () => {
  assert.equal(questionLanguage("辽宁海上风电规划是什么？"), "zh");
  assert.equal(questionLanguage("LNG接收站建设目标"), "zh");
  assert.equal(questionLanguage("什么是CCUS技术试点"), "zh");
});

test("text with neither script shows no language; a question then defaults to Chinese", () => {
  assert.equal(textLanguage("2025? 123"), undefined);
  assert.equal(questionLanguage("2025? 123"), "zh");
});
