import { hasPerson, questionKind } from "../server/answer/question-kind.ts";
import { segmenter } from "../server/answer/terms.ts";
for (const s of ["何立峰作总结讲话。", "习近平在讲话中指出", "中央金融工作会议上谁作总结讲话"]) console.log(s, hasPerson(s, []), JSON.stringify(segmenter().tag(s, true)), JSON.stringify(questionKind(s)));
