import { realIndex as scratchIndex } from "./real.ts";
import { answer } from "../server/answer/pipeline.ts";
import { createExtractiveGenerator } from "../server/answer/generator.ts";
const index = await scratchIndex();
console.log("chunks", index.core.chunks.length, JSON.stringify(index.core.chunks.find(c=>c.text.includes("风光火核储"))?.headingPath));
const generator = createExtractiveGenerator();
const qs = process.argv.slice(2);
let history: any[] = [];
for (const q of qs) {
  const r = await answer({ question: q, history }, { index, generator });
  console.log("\nQ:", q, "→", r.question, "refused:", r.refused);
  console.log(r.answer);
  console.log("cites:", r.citations.map((c) => `[${c.n}] ${c.headingPath.slice(-1)[0]}`).join(" | "));
  history.push({ role: "user", content: q }, { role: "assistant", content: r.answer });
}
