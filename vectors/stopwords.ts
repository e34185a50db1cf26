/**
 * Words that carry no meaning for retrieval: question words and function words.
 * They weigh nothing in BM25 and get a zero row in the trained embedding table,
 * so "辽宁清洁能源强省有哪些措施" is matched on 辽宁/清洁能源/强省/措施 alone.
 */
const QUESTION_WORDS = [
  "有哪些", "哪些", "是什么", "什么", "如何", "怎么", "怎么样", "怎样", "怎么办", "为什么", "为何",
  "哪", "哪个", "哪里", "哪儿", "哪方面", "多少", "几个", "是否", "有没有", "能否", "可否",
  "吗", "呢", "吧", "啊", "呀", "么", "请问", "请", "介绍", "一下", "说说", "讲讲", "谈谈", "告诉", "我", "我们", "你",
  "有关", "关于", "哪几", "什么样", "做了", "提到", "提出", "主要", "具体",
];

const FUNCTION_WORDS = [
  "的", "了", "着", "过", "地", "得", "之", "和", "与", "及", "以及", "或", "或者", "并", "并且", "而", "而且",
  "在", "对", "对于", "把", "被", "将", "为", "以", "于", "从", "向", "由", "其", "是", "有", "也", "都", "就",
  "这", "那", "这个", "那个", "这些", "那些", "等", "等等", "中", "上", "下", "里", "个", "要", "会", "能", "可",
  "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were", "be", "by", "with",
  "what", "which", "how", "does", "do", "did", "why", "when", "where", "who", "about", "tell", "me", "please",
  "there", "their", "its", "it", "this", "that", "these", "those", "as", "at", "from", "any", "some",
  "will", "would", "can", "could", "should", "may", "might", "must", "shall", "has", "have", "had", "been", "being",
  "many", "much", "more", "most", "also", "than", "then", "into", "over", "such", "other", "each", "all", "both", "not", "no",
  "whom", "whose", "they", "them", "we", "us", "our", "you", "your", "he", "she", "his", "her", "i", "my",
];

export const STOPWORDS: ReadonlySet<string> = new Set([...QUESTION_WORDS, ...FUNCTION_WORDS]);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
