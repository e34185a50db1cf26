/** Made-up citations for the citation-handling unit tests: passage n of one test document, item n. */
import type { Citation } from "../../server/answer/types.ts";

export const passage = (n: number, quote: string): Citation => ({
  n,
  chunkId: `c${n}`,
  articleId: "a",
  title: "《测试意见》",
  headingPath: ["《测试意见》", `${n}.第${n}项`],
  quote,
  start: 0,
  end: quote.length,
});
