/**
 * The answer layer's sentences come from the shared text model (text/): one sentence rule and one
 * heading recogniser for ingest and answers. Kept as a re-export so server/answer's imports stay put;
 * new code imports text/ directly, and reads a passage's stored offsets with `passageSentences`.
 */
export { splitSentences, type Sentence } from "../../text/sentences.ts";
export { isHeadingSentence } from "../../text/headings.ts";
