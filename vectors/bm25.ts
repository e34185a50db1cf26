/**
 * Okapi BM25 over an inverted index (term → postings), small enough to keep in memory and persist
 * as JSON. LangChain's BM25Retriever cannot be used for Chinese: it counts length with /\w+/ (no CJK
 * match, so NaN scores) and splits queries on spaces.
 */
export interface Bm25Params {
  k1: number;
  b: number;
}

export interface Bm25Json {
  params: Bm25Params;
  docLengths: number[];
  /** term → flat [docIndex, termFrequency, docIndex, termFrequency, …] */
  postings: Record<string, number[]>;
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly avgLength: number;

  private constructor(
    readonly params: Bm25Params,
    private readonly docLengths: number[],
    private readonly postings: Map<string, number[]>,
  ) {
    const total = docLengths.reduce((a, b) => a + b, 0);
    this.avgLength = docLengths.length ? total / docLengths.length || 1 : 1;
  }

  get size(): number {
    return this.docLengths.length;
  }

  static build(docs: readonly (readonly string[])[], params: Bm25Params = { k1: 1.2, b: 0.75 }): Bm25Index {
    const postings = new Map<string, number[]>();
    docs.forEach((tokens, doc) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, n] of tf) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push(doc, n);
      }
    });
    return new Bm25Index(params, docs.map((d) => d.length), postings);
  }

  static fromJSON(json: Bm25Json): Bm25Index {
    if (!json || !Array.isArray(json.docLengths) || typeof json.postings !== "object" || !json.params) {
      throw new Error("not a BM25 index");
    }
    return new Bm25Index(json.params, json.docLengths, new Map(Object.entries(json.postings)));
  }

  toJSON(): Bm25Json {
    return { params: this.params, docLengths: this.docLengths, postings: Object.fromEntries(this.postings) };
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for an unseen term. */
  idf(term: string): number {
    const list = this.postings.get(term);
    if (!list) return 0;
    const df = list.length / 2;
    const n = this.docLengths.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Documents scoring above zero, best first. Empty query or only unseen terms → []. */
  search(queryTokens: readonly string[], k = 10): Bm25Hit[] {
    const { k1, b } = this.params;
    const weights = new Map<string, number>();
    for (const t of queryTokens) weights.set(t, (weights.get(t) ?? 0) + 1);
    const scores = new Map<number, number>();
    for (const [term, qtf] of weights) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i];
        const tf = list[i + 1];
        const norm = tf + k1 * (1 - b + (b * this.docLengths[doc]) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + qtf * idf * ((tf * (k1 + 1)) / norm));
      }
    }
    return [...scores]
      .filter(([, s]) => s > 0)
      .map(([doc, score]) => ({ doc, score }))
      .sort((x, y) => y.score - x.score || x.doc - y.doc)
      .slice(0, k);
  }
}
