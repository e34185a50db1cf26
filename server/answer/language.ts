/** Which language a question is in, so the answer's lead, refusal and notices match it. */
import type { Lang } from "./types.ts";

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN = /[A-Za-z]/g;

/** "zh" when Chinese characters carry the text (one character weighs about a four-letter word), else "en". */
export function detectLang(text: string): Lang {
  const cjk = text.match(CJK)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (cjk === 0 && latin === 0) return "zh";
  return cjk * 4 >= latin ? "zh" : "en";
}
