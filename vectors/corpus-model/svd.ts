/**
 * Truncated SVD of a sparse matrix by randomized range finding (Halko, Martinsson & Tropp 2011):
 * Y = A·Ω, a few power iterations, Q = orth(Y), then the exact SVD of the small B = Qᵀ·A via a
 * Jacobi eigen-decomposition of B·Bᵀ. Deterministic (seeded), dense work only on rows × (k + p).
 */

/** Compressed sparse rows. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float32Array;
}

/** Dense row-major matrix. */
interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rows: number, cols: number, seed: number): Dense {
  const rand = mulberry32(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    data[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < data.length) data[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return { rows, cols, data };
}

/** A · X (A sparse rows×cols, X dense cols×l) → rows×l */
function mul(a: SparseMatrix, x: Dense): Dense {
  const l = x.cols;
  const out = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    for (let p = a.rowPtr[r]; p < a.rowPtr[r + 1]; p++) {
      const v = a.values[p];
      const xo = a.colIdx[p] * l;
      for (let j = 0; j < l; j++) out[o + j] += v * x.data[xo + j];
    }
  }
  return { rows: a.rows, cols: l, data: out };
}

/** Aᵀ · Y (Y dense rows×l) → cols×l */
function mulT(a: SparseMatrix, y: Dense): Dense {
  const l = y.cols;
  const out = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.rowPtr[r]; p < a.rowPtr[r + 1]; p++) {
      const v = a.values[p];
      const o = a.colIdx[p] * l;
      for (let j = 0; j < l; j++) out[o + j] += v * y.data[yo + j];
    }
  }
  return { rows: a.cols, cols: l, data: out };
}

/**
 * Orthonormalizes the columns in place by Cholesky QR, repeated (CholeskyQR2) when the result must be orthonormal to working precision: row-major, so it
 * streams through memory once per pass instead of once per column as Gram–Schmidt would.
 */
function orthonormalize(m: Dense, passes: number): void {
  const { rows, cols: l, data } = m;
  for (let pass = 0; pass < passes; pass++) {
    const g = new Float64Array(l * l);
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const yi = data[o + i];
        if (yi === 0) continue;
        for (let j = i; j < l; j++) g[i * l + j] += yi * data[o + j];
      }
    }
    // Cholesky G = RᵀR (upper R); a tiny ridge keeps it defined when columns are dependent.
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g[i * l + i];
    const ridge = (trace / l) * 1e-10 + 1e-300;
    const rm = new Float64Array(l * l);
    for (let i = 0; i < l; i++) {
      let d = g[i * l + i] + ridge;
      for (let k = 0; k < i; k++) d -= rm[k * l + i] ** 2;
      const rii = Math.sqrt(Math.max(d, ridge));
      rm[i * l + i] = rii;
      for (let j = i + 1; j < l; j++) {
        let s = g[i * l + j];
        for (let k = 0; k < i; k++) s -= rm[k * l + i] * rm[k * l + j];
        rm[i * l + j] = s / rii;
      }
    }
    // Y ← Y R⁻¹, row by row (forward substitution on each row), reading Rᵀ so the inner loop is contiguous.
    const rt = new Float64Array(l * l);
    for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) rt[j * l + i] = rm[i * l + j];
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let j = 0; j < l; j++) {
        let s = data[o + j];
        const jo = j * l;
        for (let k = 0; k < j; k++) s -= data[o + k] * rt[jo + k];
        data[o + j] = s / rt[jo + j];
      }
    }
  }
}

/** Eigen-decomposition of a symmetric n×n matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
function jacobiEigen(s: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

export interface TruncatedSvd {
  /** rows×k left singular vectors, row-major */
  u: Float64Array;
  /** k singular values, descending */
  s: Float64Array;
  k: number;
}

export function randomizedSvd(a: SparseMatrix, k: number, opts: { oversample?: number; powerIterations?: number; seed?: number } = {}): TruncatedSvd {
  const l = Math.min(k + (opts.oversample ?? 16), a.rows, a.cols);
  k = Math.min(k, l);
  let y = mul(a, gaussian(a.cols, l, opts.seed ?? 42));
  orthonormalize(y, 1);
  // Power iterations sharpen the spectrum; Aᵀ·Y need not be orthonormalized (same span), only Y.
  const iterations = opts.powerIterations ?? 2;
  for (let it = 0; it < iterations; it++) {
    y = mul(a, mulT(a, y));
    orthonormalize(y, it === iterations - 1 ? 2 : 1);
  }
  // B = Qᵀ A (l × cols); B Bᵀ = (Aᵀ Q)ᵀ (Aᵀ Q)
  const bt = mulT(a, y); // cols × l  = Bᵀ
  const g = new Float64Array(l * l);
  for (let r = 0; r < bt.rows; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const bi = bt.data[o + i];
      if (bi === 0) continue;
      for (let j = i; j < l; j++) g[i * l + j] += bi * bt.data[o + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) g[i * l + j] = g[j * l + i];
  const { values, vectors } = jacobiEigen(g, l);
  const order = [...values.keys()].sort((x, z) => values[z] - values[x]).slice(0, k);
  const s = Float64Array.from(order, (i) => Math.sqrt(Math.max(values[i], 0)));
  // U = Q · E_k, with E's top-k columns copied contiguous first (row-major streaming).
  const e = new Float64Array(l * k);
  for (let j = 0; j < l; j++) for (let c = 0; c < k; c++) e[j * k + c] = vectors[j * l + order[c]];
  const u = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    const uo = r * k;
    for (let j = 0; j < l; j++) {
      const q = y.data[r * l + j];
      if (q === 0) continue;
      const eo = j * k;
      for (let c = 0; c < k; c++) u[uo + c] += q * e[eo + c];
    }
  }
  return { u, s, k };
}
