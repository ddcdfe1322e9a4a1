import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FontMetrics, type TextWidth } from "./font-metrics";
import { FOOTER_TOP, layoutSlide, MARGIN_X, wrap, wrapBalanced } from "./layout";
import { FONT_BOLD, FONT_REGULAR, WIDTH } from "./settings";

// Every character is half the font size wide: easy to reason about.
const mono: TextWidth = { width: (text, size) => [...text].length * size * 0.5 };
const fonts = { regular: mono, bold: mono };

describe("wrap", () => {
  it("fills each line greedily", () => {
    // 10 px a character at size 20: 60 px holds 6 characters.
    expect(wrap(mono, "aa bb cc dd", 20, 60)).toEqual(["aa bb", "cc dd"]);
  });

  it("cuts a word wider than the line", () => {
    expect(wrap(mono, "abcdefghij", 20, 40)).toEqual(["abcd", "efgh", "ij"]);
  });
});

describe("wrapBalanced", () => {
  it("narrows the box rather than leave one short word alone on the last line", () => {
    const text = "một hai ba bốn năm sáu bảy tám chín mười";
    expect(wrap(mono, text, 20, 360).at(-1)).toBe("mười");
    const balanced = wrapBalanced(mono, text, 20, 360);
    expect(balanced).toHaveLength(2);
    expect(balanced.at(-1)).toContain(" ");
  });

  it("leaves one-line text alone", () => {
    expect(wrapBalanced(mono, "ngắn", 20, 400)).toEqual(["ngắn"]);
  });
});

describe("layoutSlide", () => {
  const slide = {
    title: "Quyền trẻ em",
    items: [
      { text: "Một ý", bullet: true },
      { text: "Đoạn", bullet: false },
    ],
  };

  it("draws the title, a bullet, the body, the footer and the slide counter", () => {
    const { texts, boxes } = layoutSlide(slide, 1, 6, "Công ước", fonts, "w");
    expect(texts.map((t) => t.text)).toEqual(["Quyền trẻ em", "•", "Một ý", "Đoạn", "Công ước", "Slide 2/6"]);
    expect(texts[0]).toMatchObject({ bold: true, size: 44, x: String(MARGIN_X), baseline: 96 });
    expect(texts[2]).toMatchObject({ size: 32, x: String(MARGIN_X + 35) });
    expect(texts.at(-1)).toMatchObject({ x: `w-tw-${MARGIN_X}`, size: 18, baseline: FOOTER_TOP + 36 });
    expect(boxes).toHaveLength(3);
    expect(boxes[0]).toBe(`drawbox=x=0:y=0:w=${WIDTH}:h=12:color=0x1F3A5F:t=fill`);
  });

  it("shrinks the body text until it fits, and refuses when even the smallest does not", () => {
    const items = Array.from({ length: 9 }, (_, i) => ({ text: `Ý số ${i + 1}`, bullet: true }));
    const fitted = layoutSlide({ title: "T", items }, 0, 1, "C", fonts, "w");
    expect(fitted.texts[1]?.size).toBeLessThan(32);
    const tooMany = Array.from({ length: 20 }, (_, i) => ({ text: `Ý số ${i + 1}`, bullet: true }));
    expect(() => layoutSlide({ title: "T", items: tooMany }, 0, 1, "C", fonts, "lesson slide 1")).toThrow(
      "lesson slide 1: too much text to fit on the slide",
    );
  });

  it("refuses a title longer than two lines", () => {
    expect(() => layoutSlide({ title: "chữ ".repeat(200), items: [] }, 0, 1, "C", fonts, "w")).toThrow(
      "title too long",
    );
  });

  it("shortens a long course title in the footer with an ellipsis", () => {
    const { texts } = layoutSlide(slide, 0, 1, "khóa học ".repeat(30), fonts, "w");
    expect(texts.at(-2)?.text).toMatch(/…$/);
  });
});

describe.skipIf(!existsSync(FONT_REGULAR) || !existsSync(FONT_BOLD))("FontMetrics (DejaVu Sans)", () => {
  it("measures wider text as wider, bold wider than regular, in proportion to the size", () => {
    const regular = new FontMetrics(FONT_REGULAR);
    const bold = new FontMetrics(FONT_BOLD);
    expect(regular.width("Việt Nam", 32)).toBeGreaterThan(regular.width("Việt", 32));
    expect(bold.width("Việt Nam", 32)).toBeGreaterThan(regular.width("Việt Nam", 32));
    expect(regular.width("Việt Nam", 64)).toBeCloseTo(2 * regular.width("Việt Nam", 32));
  });
});
