import { questionKind } from "../server/answer/question-kind.ts";
import { questionTerms } from "../server/answer/terms.ts";
for (const q of ["中央金融工作会议是什么时候召开的", "中央金融工作会议由谁作总结讲话", "中央金融工作会议是哪一天召开的"]) console.log(q, JSON.stringify(questionKind(q)), questionTerms(q).map(t=>t.text).join(" "));
