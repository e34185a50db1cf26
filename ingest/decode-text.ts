/**
 * Bytes → text with the encoding detected: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
 * Chinese files often come as GBK; Node's built-in TextDecoder knows gb18030 (a superset of GBK), so no
 * dependency is needed. Binary content is refused rather than decoded into noise.
 */

export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/** The file's bytes are not text in any encoding we read (reason says why). */
export class NotTextError extends Error {
  override name = "NotTextError";
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strictDecode("utf-8", bytes.subarray(3)) ?? notText("invalid UTF-8 after a UTF-8 BOM"), encoding: "utf-8-bom" };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: strictDecode("utf-16le", bytes.subarray(2)) ?? notText("invalid UTF-16LE"), encoding: "utf-16le" };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: strictDecode("utf-16be", bytes.subarray(2)) ?? notText("invalid UTF-16BE"), encoding: "utf-16be" };
  }
  // NUL bytes never occur in UTF-8/GBK text: a cheap, reliable sign of a binary file.
  if (bytes.includes(0)) notText("binary content (NUL bytes), not text");
  const utf8 = strictDecode("utf-8", bytes);
  if (utf8 !== undefined) return checked({ text: utf8, encoding: "utf-8" });
  const gb = strictDecode("gb18030", bytes);
  if (gb !== undefined) return checked({ text: gb, encoding: "gb18030" });
  return notText("not valid UTF-8 or GB18030 text");
}

function strictDecode(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** GB18030 decodes almost any byte string; reject results dominated by control characters or rare symbols. */
function checked(decoded: DecodedText): DecodedText {
  const sample = decoded.text.slice(0, 20000);
  let control = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0) || c === 0xfffd) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.02) notText("binary content (control characters), not text");
  return decoded;
}

function notText(reason: string): never {
  throw new NotTextError(reason);
}
