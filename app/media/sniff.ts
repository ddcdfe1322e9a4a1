// What a file is, from its first bytes: names and browser-declared types are
// never trusted. A match here only says "looks like"; the container parsers
// in probe.server.ts and pdf.server.ts decide whether the file is usable.

export type SniffedType = "mp4" | "webm" | "pdf" | "png" | "jpeg" | "webp";

/** How many leading bytes `sniffMedia` needs to decide. */
export const SNIFF_BYTES = 64;

export const MIME_TYPES: Record<SniffedType, string> = {
  mp4: "video/mp4",
  webm: "video/webm",
  pdf: "application/pdf",
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

/** The file extension a stored file of this type gets (see STORAGE_KEY). */
export const EXTENSIONS: Record<SniffedType, string> = {
  mp4: "mp4",
  webm: "webm",
  pdf: "pdf",
  png: "png",
  jpeg: "jpg",
  webp: "webp",
};

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

// ISO base media files open with a box header: 4-byte size, 4-byte type.
// Files written by cameras and encoders start with `ftyp`; the box types
// below are the only other ones a playable MP4/QuickTime file begins with.
const MP4_FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide"]);

export function sniffMedia(head: Uint8Array): SniffedType | null {
  if (head.length >= 12 && MP4_FIRST_BOXES.has(ascii(head, 4, 4))) {
    const size = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    // size 1 = 64-bit size follows; otherwise a box is at least its 8-byte header.
    if (size === 1 || size >= 8) return "mp4";
  }
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    // EBML header: WebM and Matroska share it; the DocType element says which.
    const docType = findEbmlDocType(head);
    if (docType === "webm") return "webm";
    return null;
  }
  if (head.length >= 5 && ascii(head, 0, 5) === "%PDF-") return "pdf";
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, 3) === "PNG" && head[4] === 0x0d && head[5] === 0x0a)
    return "png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP") return "webp";
  return null;
}

/** The DocType string inside the EBML header (ID 0x4282), if it is within `head`. */
function findEbmlDocType(head: Uint8Array): string | null {
  for (let i = 4; i + 3 < head.length; i++) {
    if (head[i] !== 0x42 || head[i + 1] !== 0x82) continue;
    const sizeByte = head[i + 2]!;
    // DocType sizes are tiny: a one-byte vint (0x80 | size).
    if ((sizeByte & 0x80) === 0) continue;
    const size = sizeByte & 0x7f;
    if (i + 3 + size > head.length) return null;
    return ascii(head, i + 3, size);
  }
  return null;
}
