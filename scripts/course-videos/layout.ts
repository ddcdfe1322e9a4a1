// Where each piece of a slide's text goes on the 1280×720 frame: wrapping, shrinking, the footer.
import type { TextWidth } from "./font-metrics";
import { COLORS, HEIGHT, LessonError, WIDTH } from "./settings";
import type { Slide } from "./slides";

export interface Fonts {
  regular: TextWidth;
  bold: TextWidth;
}

export interface TextDraw {
  text: string;
  bold: boolean;
  size: number;
  color: string;
  x: string;
  baseline: number; // drawtext places the top of the text's own glyphs at y, so use y=baseline-ascent
}

export const MARGIN_X = 80;
export const FOOTER_TOP = HEIGHT - 54;

export function wrap(font: TextWidth, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ").filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.width(candidate, size) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // A single word wider than the line: cut it.
    while (font.width(line, size) > maxWidth) {
      let cut = [...line].length - 1;
      while (cut > 1 && font.width([...line].slice(0, cut).join(""), size) > maxWidth) cut--;
      lines.push([...line].slice(0, cut).join(""));
      line = [...line].slice(cut).join("");
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Greedy wrapping, then narrows the box just enough to avoid a lone short word on the last line. */
export function wrapBalanced(font: TextWidth, text: string, size: number, maxWidth: number): string[] {
  const lines = wrap(font, text, size, maxWidth);
  const ok = (ls: string[]) => {
    const last = ls[ls.length - 1] ?? "";
    return ls.length < 2 || (last.includes(" ") && font.width(last, size) >= maxWidth * 0.3);
  };
  if (ok(lines)) return lines;
  for (let w = maxWidth - 8; w > maxWidth * 0.6; w -= 8) {
    const tryLines = wrap(font, text, size, w);
    if (tryLines.length !== lines.length) break;
    if (ok(tryLines)) return tryLines;
  }
  return lines;
}

/** The texts to draw and the drawbox filters of one slide; fails when the slide cannot fit. */
export function layoutSlide(
  slide: Slide,
  index: number,
  count: number,
  courseTitle: string,
  fonts: Fonts,
  where: string,
): { texts: TextDraw[]; boxes: string[] } {
  const maxWidth = WIDTH - 2 * MARGIN_X;
  const texts: TextDraw[] = [];

  let titleSize = 44;
  let titleLines = wrapBalanced(fonts.bold, slide.title, titleSize, maxWidth);
  if (titleLines.length > 2) {
    titleSize = 36;
    titleLines = wrapBalanced(fonts.bold, slide.title, titleSize, maxWidth);
  }
  if (titleLines.length > 2) throw new LessonError(`${where}: title too long for two lines`);
  let y = 52;
  for (const line of titleLines) {
    texts.push({
      text: line,
      bold: true,
      size: titleSize,
      color: COLORS.title,
      x: String(MARGIN_X),
      baseline: y + titleSize,
    });
    y += Math.round(titleSize * 1.25);
  }
  const accentY = y + 10;
  const bodyTop = accentY + 40;
  const bodyBottom = FOOTER_TOP - 24;

  let body: TextDraw[] | null = null;
  for (const size of [32, 30, 28, 26, 24]) {
    const lineHeight = Math.round(size * 1.38);
    const indent = Math.round(size * 1.1);
    const draws: TextDraw[] = [];
    let by = bodyTop;
    for (const item of slide.items) {
      const x = item.bullet ? MARGIN_X + indent : MARGIN_X;
      const lines = wrapBalanced(fonts.regular, item.text, size, WIDTH - MARGIN_X - x);
      if (item.bullet) {
        draws.push({ text: "•", bold: true, size, color: COLORS.bullet, x: String(MARGIN_X + 4), baseline: by + size });
      }
      for (const line of lines) {
        draws.push({ text: line, bold: false, size, color: COLORS.text, x: String(x), baseline: by + size });
        by += lineHeight;
      }
      by += Math.round(size * 0.55);
    }
    if (by - Math.round(size * 0.55) <= bodyBottom) {
      body = draws;
      break;
    }
  }
  if (!body) throw new LessonError(`${where}: too much text to fit on the slide`);
  texts.push(...body);

  // Footer: course title on the left (shortened if needed), slide number on the right.
  const counter = `Slide ${index + 1}/${count}`;
  const footerSize = 18;
  const footerRoom = maxWidth - fonts.regular.width(counter, footerSize) - 40;
  let footer = courseTitle;
  if (fonts.regular.width(footer, footerSize) > footerRoom) {
    let chars = [...courseTitle];
    while (chars.length > 1 && fonts.regular.width(`${chars.join("").trimEnd()}…`, footerSize) > footerRoom) {
      chars = chars.slice(0, -1);
    }
    footer = `${chars.join("").trimEnd()}…`;
  }
  const footerY = FOOTER_TOP + 18;
  texts.push({
    text: footer,
    bold: false,
    size: footerSize,
    color: COLORS.footer,
    x: String(MARGIN_X),
    baseline: footerY + footerSize,
  });
  texts.push({
    text: counter,
    bold: false,
    size: footerSize,
    color: COLORS.footer,
    x: `w-tw-${MARGIN_X}`,
    baseline: footerY + footerSize,
  });

  const boxes = [
    `drawbox=x=0:y=0:w=${WIDTH}:h=12:color=${COLORS.band}:t=fill`,
    `drawbox=x=${MARGIN_X}:y=${accentY}:w=120:h=6:color=${COLORS.accent}:t=fill`,
    `drawbox=x=${MARGIN_X}:y=${FOOTER_TOP}:w=${WIDTH - 2 * MARGIN_X}:h=2:color=${COLORS.rule}:t=fill`,
  ];
  return { texts, boxes };
}
