/**
 * A bounded least-recently-used cache of text → vector, so a question embedded for the search is not
 * embedded again for the answer engine's sentence similarity, and the corpus's sentences are embedded
 * once, not per answer (an endpoint round trip per sentence would dominate the answer time).
 */
export class VectorCache<V extends ArrayLike<number> = number[]> {
  private readonly map = new Map<string, V>();

  /** At most `capacity` vectors (a Map keeps insertion order: the first key is the least recently used). */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(text: string): V | undefined {
    const v = this.map.get(text);
    if (v) {
      this.map.delete(text);
      this.map.set(text, v);
    }
    return v;
  }

  set(text: string, vector: V): void {
    this.map.delete(text);
    this.map.set(text, vector);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
}

/** The vector scaled to length 1 (a zero vector as it is). */
export function unit(v: number[]): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return n ? v.map((x) => x / n) : v;
}

/** Cosine similarity (0 when either vector has no direction). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
