// Font metrics, read from the TrueType tables, for word wrapping.
import { readFileSync } from "node:fs";

/** What layout needs of a font: the width of a text at a size, in pixels. */
export interface TextWidth {
  width(text: string, size: number): number;
}

export class FontMetrics implements TextWidth {
  private readonly buf: Buffer;
  private readonly unitsPerEm: number;
  private readonly numHMetrics: number;
  private readonly hmtx: number;
  private readonly segments: { start: number; end: number; delta: number; roPos: number; ro: number }[] = [];
  private readonly cache = new Map<number, number>();

  constructor(file: string) {
    const buf = readFileSync(file);
    this.buf = buf;
    const tables = new Map<string, number>();
    const numTables = buf.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const rec = 12 + 16 * i;
      tables.set(buf.toString("latin1", rec, rec + 4), buf.readUInt32BE(rec + 8));
    }
    const table = (tag: string): number => {
      const off = tables.get(tag);
      if (off === undefined) throw new Error(`${file}: no '${tag}' table`);
      return off;
    };
    this.unitsPerEm = buf.readUInt16BE(table("head") + 18);
    this.numHMetrics = buf.readUInt16BE(table("hhea") + 34);
    this.hmtx = table("hmtx");

    const cmap = table("cmap");
    let sub = -1;
    const n = buf.readUInt16BE(cmap + 2);
    for (let i = 0; i < n; i++) {
      const rec = cmap + 4 + 8 * i;
      const platform = buf.readUInt16BE(rec);
      const encoding = buf.readUInt16BE(rec + 2);
      const off = cmap + buf.readUInt32BE(rec + 4);
      if (buf.readUInt16BE(off) === 4 && (platform === 3 || platform === 0) && encoding <= 3) {
        sub = off;
        if (platform === 3 && encoding === 1) break;
      }
    }
    if (sub < 0) throw new Error(`${file}: no Unicode BMP cmap`);
    const segCount = buf.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + 2 * segCount + 2;
    const deltas = starts + 2 * segCount;
    const ros = deltas + 2 * segCount;
    for (let i = 0; i < segCount; i++) {
      this.segments.push({
        end: buf.readUInt16BE(ends + 2 * i),
        start: buf.readUInt16BE(starts + 2 * i),
        delta: buf.readInt16BE(deltas + 2 * i),
        roPos: ros + 2 * i,
        ro: buf.readUInt16BE(ros + 2 * i),
      });
    }
  }

  private glyph(cp: number): number {
    if (cp > 0xffff) return 0;
    for (const s of this.segments) {
      if (cp > s.end || cp < s.start) continue;
      if (s.ro === 0) return (cp + s.delta) & 0xffff;
      const g = this.buf.readUInt16BE(s.roPos + s.ro + 2 * (cp - s.start));
      return g === 0 ? 0 : (g + s.delta) & 0xffff;
    }
    return 0;
  }

  private advance(cp: number): number {
    let adv = this.cache.get(cp);
    if (adv === undefined) {
      const g = Math.min(this.glyph(cp), this.numHMetrics - 1);
      adv = this.buf.readUInt16BE(this.hmtx + 4 * g);
      this.cache.set(cp, adv);
    }
    return adv;
  }

  width(text: string, size: number): number {
    let units = 0;
    for (const ch of text) units += this.advance(ch.codePointAt(0) ?? 0);
    return (units / this.unitsPerEm) * size;
  }
}
