/**
 * The search index as a LangChain retriever — the path the answer pipeline retrieves through, and one
 * that composes with LangChain chains: `index.retriever({ k: 5 }).invoke("…", { signal })` → Documents
 * whose pageContent is the passage (verbatim) and whose metadata carries the chunk, its score and its
 * rank in each signal (`hitOf` reads them back).
 */
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Chunk, SearchHit, SearchOptions } from "./types.ts";

/** What each Document's metadata holds. */
export interface HitMetadata {
  chunkId: string;
  articleId: string;
  title: string;
  headingPath: string[];
  itemNo?: string;
  score: number;
  ranks: SearchHit["ranks"];
  chunk: Chunk;
}

export type SearchFn = (query: string, opts: SearchOptions) => Promise<SearchHit[]>;

export class SearchIndexRetriever extends BaseRetriever<HitMetadata> {
  override lc_namespace = ["policy_qa", "retrievers"];

  constructor(
    private readonly search: SearchFn,
    private readonly opts: SearchOptions = {},
    fields?: BaseRetrieverInput,
  ) {
    super(fields);
  }

  static override lc_name(): string {
    return "SearchIndexRetriever";
  }

  /**
   * LangChain's invoke does not watch `signal`; this one rejects with an AbortError as soon as it fires.
   * The search itself stops only when the signal is also among the retriever's options
   * (`index.retriever({ k, signal })`), which abandons an endpoint's embedding request.
   */
  override async invoke(input: string, options?: RunnableConfig): Promise<DocumentInterface<HitMetadata>[]> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const run = super.invoke(input, options);
    if (!signal) return run;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([run, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }

  override async _getRelevantDocuments(query: string): Promise<DocumentInterface<HitMetadata>[]> {
    const hits = await this.search(query, this.opts);
    return hits.map(
      (h) =>
        new Document<HitMetadata>({
          pageContent: h.chunk.text,
          id: h.chunk.id,
          metadata: {
            chunkId: h.chunk.id,
            articleId: h.chunk.articleId,
            title: h.chunk.title,
            headingPath: h.chunk.headingPath,
            ...(h.chunk.itemNo !== undefined ? { itemNo: h.chunk.itemNo } : {}),
            score: h.score,
            ranks: h.ranks,
            chunk: h.chunk,
          },
        }),
    );
  }
}

/** The search hit a retriever Document stands for. */
export function hitOf(doc: DocumentInterface<HitMetadata>): SearchHit {
  return { chunk: doc.metadata.chunk, score: doc.metadata.score, ranks: doc.metadata.ranks };
}
