import { rewriteByRule, isFollowUp } from "./server/answer/follow-up.ts";
const h = (...qs: string[]) => qs.flatMap((q) => [{ role: "user" as const, content: q }, { role: "assistant" as const, content: "……[1]" }]);
const cases: [string[], string][] = [
 [["辽宁清洁能源强省有哪些措施"], "那粮食安全呢？"],
 [["辽宁清洁能源强省有哪些措施"], "那农业方面呢？"],
 [["辽宁清洁能源强省有哪些措施"], "这些措施中哪项涉及核电？"],
 [["习近平在中央政治局第九次集体学习时强调了什么"], "他还说了什么"],
 [["辽宁清洁能源强省有哪些措施", "那粮食安全呢？"], "那海洋经济呢？"],
 [["辽宁清洁能源强省有哪些措施"], "辽宁如何推进美丽乡村建设？"],
 [["辽宁清洁能源强省有哪些措施"], "还有吗？"],
 [["What measures does Liaoning take for clean energy?"], "What about food security?"],
 [[], "那粮食安全呢？"],
];
for (const [prev, q] of cases) console.log(prev.join(" | "), "+", q, "→", isFollowUp(q, h(...prev)), rewriteByRule(q, h(...prev)));
