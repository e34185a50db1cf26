/**
 * How much of the question a sentence says in the question's own words, contiguously: 省委书记 in one
 * piece counts for more than 省委 … 书记 apart (省委副书记 is another title). Scored by the squared
 * lengths of the longest runs of the question's content the sentence repeats verbatim.
 */

/** Asking words and particles that frame a question; they are not part of what it names. */
const FRAME =
  /是谁|由谁|哪位|何人|什么时候|什么时间|何时|哪一年|哪年|哪一天|哪天|几月几日|多少|几个|哪里|哪儿|在哪|何地|有哪些|哪些|哪几|什么|如何|怎样|怎么|是否|吗|呢|请问|是|的|了|谁|？|\?/g;

/** The question's content as runs of CJK characters (asking words removed). */
export function contentRuns(question: string): string[] {
  return question
    .replace(FRAME, " ")
    .split(/[^\u3400-\u9fff]+/)
    .filter((r) => [...r].length >= 2);
}

/**
 * 0..1: Σ(len²) of the question's content runs found verbatim in `text` (greedy longest match, at
 * least two characters) over Σ(len²) of the runs themselves; 1 when every run appears whole.
 * `weigh` (0..1) says how telling a matched piece is, so a common phrase (加快建设) counts for less
 * than a rare one (药都); without it every piece counts fully.
 */
export function phraseCoverage(text: string, runs: string[], weigh: (piece: string) => number = () => 1): number {
  let total = 0;
  let hit = 0;
  for (const run of runs) {
    const chars = [...run];
    total += chars.length ** 2;
    for (let i = 0; i < chars.length; ) {
      let len = 0;
      for (let l = chars.length - i; l >= 2; l--) {
        if (text.includes(chars.slice(i, i + l).join(""))) {
          len = l;
          break;
        }
      }
      if (len) {
        hit += len ** 2 * weigh(chars.slice(i, i + len).join(""));
        i += len;
      } else i++;
    }
  }
  return total > 0 ? hit / total : 0;
}
