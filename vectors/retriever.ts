/**
 * The search index as a LangChain retriever, so it composes with LangChain chains:
 * `index.retriever({ k: 5 }).invoke("…")` → Documents whose pageContent is the passage (verbatim)
 * and whose metadata carries the chunk, its score and its rank in each signal.
 */
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { Document } from "@langchain/core/documents";
import type { SearchHit, SearchMode } from "./types.ts";

export interface Searchable {
  search(query: string, opts?: { k?: number; mode?: SearchMode; mergeParts?: boolean }): Promise<SearchHit[]>;
}

export class SearchIndexRetriever extends BaseRetriever {
  override lc_namespace = ["policy_qa", "retrievers"];

  constructor(
    private readonly index: Searchable,
    private readonly opts: { k?: number; mode?: SearchMode; mergeParts?: boolean } = {},
    fields?: BaseRetrieverInput,
  ) {
    super(fields);
  }

  static override lc_name(): string {
    return "SearchIndexRetriever";
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const hits = await this.index.search(query, this.opts);
    return hits.map(
      (h) =>
        new Document({
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
