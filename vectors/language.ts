/**
 * The one language detector for questions (search translation, answer lead, error messages), so a
 * mixed question such as "What does 辽宁 plan for offshore wind?" is read the same way everywhere.
 */
export type Language = "zh" | "en";

const HAN = /\p{Script=Han}/gu;
const LATIN = /[A-Za-z]/g;

/**
 * "zh" when Chinese characters carry the text, "en" when Latin letters do (one Han character weighs
 * about a four-letter word, so a place name inside an English sentence keeps it English);
 * undefined when the text has neither.
 */
export function textLanguage(text: string): Language | undefined {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (han === 0 && latin === 0) return undefined;
  return han * 4 >= latin ? "zh" : "en";
}

/** The language to answer a question in: Chinese (the corpus language) when the text shows none. */
export function questionLanguage(text: string): Language {
  return textLanguage(text) ?? "zh";
}
