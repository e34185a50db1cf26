/**
 * How much of the question a sentence says in the question's own words, contiguously: 省委书记 in one
 * piece counts for more than 省委 … 书记 apart (省委副书记 is another title). Scored by the squared
 * lengths of the longest runs of the question's content (QuestionAnalysis.runs) the sentence repeats.
 */

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
