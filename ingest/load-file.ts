/**
 * One corpus file → its text, by type: .txt, .md, .html and .pdf. Pages of a PDF are separated by form
 * feeds, which the cleaner reads as page breaks. Anything that cannot be read raises UnreadableFileError
 * with a reason a user understands; the build reports it by name and goes on with the other files.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { decodeText, NotTextError, type TextEncodingName } from "./decode-text.ts";
import { htmlToText, markdownToText } from "./markup-to-text.ts";
import { PdfError, pdfToText } from "./pdf-to-text.ts";

export type CorpusFormat = "txt" | "md" | "html" | "pdf";

const FORMATS: Record<string, CorpusFormat> = {
  ".txt": "txt",
  ".text": "txt",
  ".md": "md",
  ".markdown": "md",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".pdf": "pdf",
};

export interface LoadedFile {
  text: string;
  format: CorpusFormat;
  /** Detected text encoding (absent for PDF). */
  encoding?: TextEncodingName;
  /** The text already has one paragraph per line (converted markup): the cleaner must not join lines. */
  paragraphLines: boolean;
}

export class UnreadableFileError extends Error {
  override name = "UnreadableFileError";
}

export function corpusFormat(file: string): CorpusFormat | undefined {
  return FORMATS[path.extname(file).toLowerCase()];
}

/** Reads and converts a corpus file; pass `bytes` when they were already read (e.g. for hashing). */
export async function loadCorpusFile(file: string, bytes?: Uint8Array): Promise<LoadedFile> {
  const format = corpusFormat(file);
  if (!format) throw new UnreadableFileError(`unknown file type "${path.extname(file) || "(no extension)"}" (supported: .txt, .md, .html, .pdf)`);
  if (!bytes) {
    try {
      bytes = await fs.readFile(file);
    } catch (err) {
      throw new UnreadableFileError(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (bytes.length === 0) throw new UnreadableFileError("empty file");
  let loaded: LoadedFile;
  if (format === "pdf") {
    if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) throw new UnreadableFileError("not a PDF (no %PDF header)");
    try {
      loaded = { text: await pdfToText(bytes), format, paragraphLines: false };
    } catch (err) {
      if (err instanceof PdfError) throw new UnreadableFileError(err.message);
      throw err;
    }
  } else {
    let decoded;
    try {
      decoded = decodeText(bytes);
    } catch (err) {
      if (err instanceof NotTextError) throw new UnreadableFileError(err.message);
      throw err;
    }
    const text = format === "html" ? htmlToText(decoded.text) : format === "md" ? markdownToText(decoded.text) : decoded.text;
    loaded = { text, format, encoding: decoded.encoding, paragraphLines: format !== "txt" };
  }
  if (loaded.text.replace(/[\s\f]/g, "") === "") throw new UnreadableFileError(format === "pdf" ? "no extractable text (a scanned PDF?)" : "no text (only whitespace or markup)");
  return loaded;
}
