import { gzipSync } from "node:zlib";

// Bitstring Status List v1.0 (W3C): revocation published as one bit per
// credential, 131,072 bits a list (16 KB before compression) — the spec's
// minimum, so a list says nothing about how many certificates there are.

export const STATUS_LIST_BITS = 131_072;

/** Which list, and which bit in it, a credential's status index falls on. */
export function statusPosition(statusIndex: number): { list: number; bit: number } {
  return { list: Math.floor(statusIndex / STATUS_LIST_BITS), bit: statusIndex % STATUS_LIST_BITS };
}

/**
 * The list's `encodedList`: bits set at these positions, GZIP-compressed,
 * multibase base64url ("u"). Bit 0 is the leftmost bit of the first byte.
 */
export function encodeStatusList(setBits: Iterable<number>): string {
  const bytes = new Uint8Array(STATUS_LIST_BITS / 8);
  for (const bit of setBits) {
    if (!Number.isInteger(bit) || bit < 0 || bit >= STATUS_LIST_BITS)
      throw new RangeError(`status bit out of range: ${bit}`);
    bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return `u${gzipSync(bytes).toString("base64url")}`;
}
