/** Text measures the request schemas share. */

/** Characters as a reader counts them (code points), so a CJK question is not penalised for UTF-16. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
