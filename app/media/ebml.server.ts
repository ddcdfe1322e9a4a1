import { open, type FileHandle } from "node:fs/promises";

// A minimal EBML (RFC 8794) element reader for WebM probing. It reads element
// headers at byte positions and only the few payloads it is asked for, so a
// 1 GB file is walked by skipping over its media blocks, not by reading them.
// Why not the `ebml` package: docs/decisions/010-media-uploads.md.

export type EbmlElement = {
  id: number;
  /** Byte position of the element's header. */
  start: number;
  /** Byte position of its payload. */
  dataStart: number;
  /** Payload size; null when the muxer wrote "unknown" (live recordings). */
  size: number | null;
};

export class EbmlTruncated extends Error {}

const WINDOW = 64 * 1024;
// A 5-minute recording walked block by block (no Cues, unknown sizes) has some
// 30,000 elements; a forged file of 2-byte elements would have half a billion.
const MAX_ELEMENTS = 1_000_000;

/** Positional reads through one cached window: element headers sit close together. */
export class EbmlFile {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  private elementsRead = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(filePath: string): Promise<EbmlFile> {
    const handle = await open(filePath, "r");
    const { size } = await handle.stat();
    return new EbmlFile(handle, size);
  }

  close() {
    return this.handle.close();
  }

  async bytes(position: number, length: number): Promise<Buffer> {
    if (position < this.windowStart || position + length > this.windowStart + this.window.length) {
      const buffer = Buffer.alloc(Math.max(WINDOW, length));
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = position;
    }
    const offset = position - this.windowStart;
    if (offset + length > this.window.length)
      throw new EbmlTruncated(`the file ends at byte ${this.size}, inside data at ${position}`);
    return this.window.subarray(offset, offset + length);
  }

  /** Reads the element header at `position`. */
  async element(position: number): Promise<EbmlElement> {
    if (++this.elementsRead > MAX_ELEMENTS) throw new EbmlTruncated(`the file has more than ${MAX_ELEMENTS} elements`);
    const head = await this.bytes(position, Math.min(12, this.size - position));
    const id = readVint(head, 0, true);
    const size = readVint(head, id.length, false);
    return {
      id: id.value,
      start: position,
      dataStart: position + id.length + size.length,
      size: size.unknown ? null : size.value,
    };
  }

  async uint(element: EbmlElement): Promise<number> {
    const data = await this.payload(element, 8);
    let value = 0;
    for (const byte of data) value = value * 256 + byte;
    return value;
  }

  async float(element: EbmlElement): Promise<number> {
    const data = await this.payload(element, 8);
    if (data.length === 4) return data.readFloatBE(0);
    if (data.length === 8) return data.readDoubleBE(0);
    return 0;
  }

  async string(element: EbmlElement): Promise<string> {
    return (await this.payload(element, 256)).toString("latin1").replace(/\0+$/, "");
  }

  /** The first `limit` bytes of an element's payload at most. */
  async payload(element: EbmlElement, limit: number): Promise<Buffer> {
    const length = Math.min(element.size ?? 0, limit);
    return length === 0 ? Buffer.alloc(0) : this.bytes(element.dataStart, length);
  }
}

/**
 * An EBML variable-length integer. IDs keep their length-marker bits (that is
 * how the specification writes them, e.g. 0x1A45DFA3); sizes drop them, and a
 * size of all ones means "unknown".
 */
export function readVint(buffer: Uint8Array, offset: number, keepMarker: boolean) {
  const first = buffer[offset];
  if (first === undefined) throw new EbmlTruncated("the file ends inside an element header");
  if (first === 0) throw new EbmlTruncated("an element header is malformed");
  const length = Math.clz32(first) - 23; // 1 for 0b1xxxxxxx … 8 for 0b00000001
  if (offset + length > buffer.length) throw new EbmlTruncated("the file ends inside an element header");
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buffer[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}
