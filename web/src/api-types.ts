/**
 * The shapes the page reads from the HTTP API (see the server's routes). Declared here because the
 * page talks to the server over HTTP only and imports nothing from server/.
 */

/** A passage an answer rests on: article › section › item, with its offsets in the article text. */
export interface Citation {
  n: number;
  chunkId: string;
  articleId: string;
  title: string;
  headingPath: string[];
  itemNo?: string;
  quote: string;
  start: number;
  end: number;
}

/** `retrieval` SSE event: the passages handed to the generator, numbered as it saw them. */
export interface RetrievalEvent {
  question: string;
  passages: Citation[];
}

/** `done` SSE event (and the JSON reply): citations are the cited ones, renumbered 1.. */
export interface DoneEvent {
  answer: string;
  citations: Citation[];
  refused: boolean;
  notice?: string;
}

export interface ArticleSummary {
  id: string;
  title: string;
  date?: string;
  source: string;
  chunks: number;
}

export interface ArticleChunkRef {
  id: string;
  headingPath: string[];
  itemNo?: string;
  start: number;
  end: number;
}

export interface ArticleDetail {
  id: string;
  title: string;
  date?: string;
  source: string;
  text: string;
  chunks: ArticleChunkRef[];
}

/** One earlier turn sent along with a follow-up question. */
export interface HistoryTurn {
  role: "user" | "assistant";
  content: string;
}
