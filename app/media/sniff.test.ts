import { describe, expect, it } from "vitest";
import { sniffMedia } from "./sniff";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("sniffMedia", () => {
  it("recognises an MP4 by its ftyp box", () => {
    expect(sniffMedia(bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 2, 0], "isomiso2avc1mp41"))).toBe("mp4");
  });

  it("recognises a WebM by its EBML header and DocType", () => {
    const head = bytes(
      [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84],
      "webm",
      [0x42, 0x87, 0x81, 0x04],
    );
    expect(sniffMedia(head)).toBe("webm");
  });

  it("refuses Matroska files that are not WebM", () => {
    const head = bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], "matroska");
    expect(sniffMedia(head)).toBeNull();
  });

  it("recognises PDF, PNG, JPEG and WebP", () => {
    expect(sniffMedia(bytes("%PDF-1.7\n"))).toBe("pdf");
    expect(sniffMedia(bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]))).toBe("png");
    expect(sniffMedia(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(sniffMedia(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).toBe("webp");
  });

  it("ignores the name: text renamed to .mp4 is not a video", () => {
    expect(sniffMedia(bytes("Hello, this is not a video at all"))).toBeNull();
    expect(sniffMedia(bytes(""))).toBeNull();
  });

  it("does not take a box type at the wrong place for an MP4", () => {
    expect(sniffMedia(bytes("ftypisom........"))).toBeNull();
  });
});
