import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fontkit from "@pdf-lib/fontkit";
import {
  degrees,
  PDFDocument,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingRgbColor,
  type PDFFont,
  type PDFPage,
  type RGB,
} from "pdf-lib";
import QRCode from "qrcode";
import { localized, type Language } from "~/i18n";
import { formatDate } from "~/utils/format";
import type { CertificateDetails } from "./details.server";
import { certificatesT } from "./i18n.server";

// The certificate as a one-page A4 landscape PDF, in the learner's language.
// DejaVu Sans is embedded (subset) because the PDF base fonts cannot write
// Vietnamese; the QR code is drawn as vector squares, so it stays sharp at
// any print size. See docs/decisions/081-certificate-pdf.md.

const PAGE = { width: 841.89, height: 595.28 }; // A4 landscape, in points
const MARGIN = 70;
/** Top of the band with the issuer, the code, the address and the QR code. */
const BOTTOM_BAND_TOP = 160;
const INK = rgb(0.11, 0.13, 0.17);
const MUTED = rgb(0.35, 0.38, 0.43);
const ACCENT = rgb(0.05, 0.33, 0.55);
const REVOKED = rgb(0.72, 0.09, 0.09);

/** The QR code's side, in points: about 3.9 cm, readable from a printed page by any phone. */
export const QR_SIZE = 112;
/** Modules of white around the code, as the QR standard asks. */
const QR_QUIET_ZONE = 4;

const FONT_FILES = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" } as const;

/**
 * The fonts sit beside this file in the source tree. A production build runs
 * bundled code from build/server, started from the repository root, so the
 * source folder is looked for there too; Debian's copy is the last resort.
 */
function fontDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, "fonts"),
    path.resolve(process.cwd(), "app/certificates/fonts"),
    path.resolve(here, "../../app/certificates/fonts"), // build/server/index.js, started from elsewhere
    "/usr/share/fonts/truetype/dejavu",
  ];
  const found = candidates.find(
    (dir) => existsSync(path.join(dir, FONT_FILES.regular)) && existsSync(path.join(dir, FONT_FILES.bold)),
  );
  if (!found)
    throw new Error(
      `certificate fonts (${Object.values(FONT_FILES).join(", ")}) not found in ${candidates.join(", ")}`,
    );
  return found;
}

type FontBytes = { regular: Uint8Array; bold: Uint8Array; covers: (codePoint: number) => boolean };
let fontBytes: Promise<FontBytes> | null = null;

function loadFonts(): Promise<FontBytes> {
  fontBytes ??= (async () => {
    const dir = fontDirectory();
    const [regular, bold] = await Promise.all([
      readFile(path.join(dir, FONT_FILES.regular)),
      readFile(path.join(dir, FONT_FILES.bold)),
    ]);
    const face = fontkit.create(regular) as unknown as { hasGlyphForCodePoint(codePoint: number): boolean };
    return {
      regular: new Uint8Array(regular),
      bold: new Uint8Array(bold),
      covers: (codePoint: number) => face.hasGlyphForCodePoint(codePoint),
    };
  })().catch((error: unknown) => {
    fontBytes = null; // a missing file is reported on every request, not cached
    throw error;
  });
  return fontBytes;
}

/**
 * Text as the PDF can draw it: composed (a name typed with combining marks
 * gets the font's precomposed Vietnamese letters), one line, and characters
 * the font lacks shown as "?" instead of an empty box.
 */
function printable(text: string, covers: (codePoint: number) => boolean): string {
  return [
    ...text
      .normalize("NFC")
      // eslint-disable-next-line no-control-regex -- control characters are what this strips
      .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ")
      .trim(),
  ]
    .map((char) => (covers(char.codePointAt(0)!) ? char : "?"))
    .join("");
}

/** Splits text into lines no wider than `maxWidth`; a word longer than a line is cut between characters. */
export function wrapText(text: string, width: (s: string) => number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ").filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    let rest = word;
    while (width(rest) > maxWidth) {
      let cut = 1;
      const chars = [...rest];
      while (cut < chars.length && width(chars.slice(0, cut + 1).join("")) <= maxWidth) cut++;
      lines.push(chars.slice(0, cut).join(""));
      rest = chars.slice(cut).join("");
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

type Fitted = { lines: string[]; size: number };

/**
 * The largest size at which the text fits: first on one line (shrinking by up
 * to 30%), then on two, and so on, down to `minSize` on `maxLines`; past
 * that, the last line ends in "…".
 */
export function fitText(
  text: string,
  font: PDFFont,
  options: { maxSize: number; minSize: number; maxWidth: number; maxLines: number },
): Fitted {
  for (let count = 1; count <= options.maxLines; count++) {
    const floor = count < options.maxLines ? Math.max(options.minSize, options.maxSize * 0.7) : options.minSize;
    for (let size = options.maxSize; size >= floor; size -= 0.5) {
      const lines = wrapText(text, (s) => font.widthOfTextAtSize(s, size), options.maxWidth);
      if (lines.length <= count) return { lines, size };
    }
  }
  const size = options.minSize;
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines = wrapText(text, width, options.maxWidth).slice(0, options.maxLines);
  let last = lines[lines.length - 1] ?? "";
  while (last && width(`${last}…`) > options.maxWidth) last = [...last].slice(0, -1).join("");
  lines[lines.length - 1] = `${last.trimEnd()}…`;
  return { lines, size };
}

/** "1 giờ 5 phút" / "12 phút 30 giây" (and English): the course's total video time. */
function formatVideoTime(seconds: number, t: (key: string, options: Record<string, unknown>) => string): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return hours > 0
    ? t("pdf.hoursMinutes", { hours, minutes })
    : t("pdf.minutesSeconds", { minutes, seconds: whole % 60 });
}

/** The QR code's dark modules, row by row, with the symbol's size (quiet zone not included). */
export function qrModules(text: string): { size: number; dark: (row: number, column: number) => boolean } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (row, column) => Boolean(modules.get(row, column)) };
}

/**
 * The QR code as filled rectangles (one per horizontal run of dark modules)
 * on a white square that includes the quiet zone. (x, y) is the lower-left
 * corner of the whole square, quiet zone included.
 */
function drawQrCode(page: PDFPage, text: string, x: number, y: number, side: number) {
  const { size, dark } = qrModules(text);
  const module = side / (size + 2 * QR_QUIET_ZONE);
  page.drawRectangle({ x, y, width: side, height: side, color: rgb(1, 1, 1) });
  const n = (value: number) => PDFNumber.of(Math.round(value * 1000) / 1000);
  const operators: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size;) {
      if (!dark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < size && dark(row, column)) column++;
      const left = x + (QR_QUIET_ZONE + start) * module;
      const bottom = y + side - (QR_QUIET_ZONE + row + 1) * module;
      operators.push(
        PDFOperator.of(PDFOperatorNames.AppendRectangle, [n(left), n(bottom), n((column - start) * module), n(module)]),
      );
    }
  }
  operators.push(PDFOperator.of(PDFOperatorNames.FillNonZero), popGraphicsState());
  page.pushOperators(...operators);
}

type Pen = { page: PDFPage; fonts: { regular: PDFFont; bold: PDFFont } };

/** One centred paragraph of the certificate's main block. */
type Block = {
  text: string;
  font: PDFFont;
  color: RGB;
  maxSize: number;
  minSize: number;
  maxLines: number;
  gapBefore: number;
  leading: number;
};

function blockHeight(block: Block, fitted: Fitted): number {
  return block.gapBefore + fitted.lines.length * fitted.size * block.leading;
}

/**
 * Lays the main block out between `top` and `bottom`: if long names and
 * titles make it too tall at full size, every size and gap shrinks together
 * until it fits, so nothing ever runs into the bottom band.
 */
function drawBlocks(pen: Pen, blocks: Block[], top: number, bottom: number, maxWidth: number) {
  let scale = 1;
  let fitted: Fitted[] = [];
  let height = 0;
  for (; scale > 0.5; scale -= 0.05) {
    fitted = blocks.map((b) =>
      fitText(b.text, b.font, {
        maxSize: b.maxSize * scale,
        minSize: Math.min(b.minSize, b.maxSize * scale),
        maxWidth,
        maxLines: b.maxLines,
      }),
    );
    height = blocks.reduce((sum, b, i) => sum + blockHeight({ ...b, gapBefore: b.gapBefore * scale }, fitted[i]!), 0);
    if (height <= top - bottom) break;
  }
  // Short texts leave room: the block moves down a third of it.
  let y = top - Math.max(0, (top - bottom - height) / 3);
  blocks.forEach((block, i) => {
    const { lines, size } = fitted[i]!;
    y -= block.gapBefore * scale;
    for (const line of lines) {
      const x = (PAGE.width - block.font.widthOfTextAtSize(line, size)) / 2;
      pen.page.drawText(line, { x, y: y - size, size, font: block.font, color: block.color });
      y -= size * block.leading;
    }
  });
}

function drawCentered(pen: Pen, fitted: Fitted, top: number, font: PDFFont, color: RGB, leading = 1.25): number {
  let y = top;
  for (const line of fitted.lines) {
    y -= fitted.size;
    pen.page.drawText(line, {
      x: (PAGE.width - font.widthOfTextAtSize(line, fitted.size)) / 2,
      y,
      size: fitted.size,
      font,
      color,
    });
    y -= fitted.size * (leading - 1);
  }
  return y;
}

function drawLeft(pen: Pen, fitted: Fitted, x: number, top: number, font: PDFFont, color: RGB): number {
  let y = top;
  for (const line of fitted.lines) {
    y -= fitted.size;
    pen.page.drawText(line, { x, y, size: fitted.size, font, color });
    y -= fitted.size * 0.3;
  }
  return y;
}

/** The certificate's PDF file, in Vietnamese or English. */
export async function renderCertificatePdf(details: CertificateDetails, language: Language): Promise<Uint8Array> {
  const { t } = await certificatesT(language);
  const bytes = await loadFonts();
  const text = (value: string) => printable(value, bytes.covers);

  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fonts = {
    regular: await doc.embedFont(bytes.regular, { subset: true }),
    bold: await doc.embedFont(bytes.bold, { subset: true }),
  };
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const pen: Pen = { page, fonts };
  const courseTitle = localized(language, details.course.title, details.course.titleEn);
  const conventionName = localized(language, details.convention.nameVi, details.convention.nameEn);
  const completedOn = formatDate(details.completedAt, language);
  const contentWidth = PAGE.width - 2 * MARGIN;

  doc.setTitle(text(t("pdf.metaTitle", { course: courseTitle, name: details.learner.name })), {
    showInWindowTitleBar: true,
  });
  doc.setAuthor(text(details.issuer.organisation));
  doc.setSubject(text(t("pdf.metaSubject", { code: details.code, url: details.verifyUrl })));
  doc.setKeywords([details.code, details.convention.code, details.course.code]);
  doc.setCreator(text(details.issuer.platform));
  doc.setProducer(text(details.issuer.platform));
  doc.setLanguage(language === "en" ? "en-GB" : "vi-VN");
  doc.setCreationDate(details.completedAt);
  doc.setModificationDate(details.revocation?.at ?? details.completedAt);

  // Frame: a thick outer rule and a thin inner one.
  page.drawRectangle({
    x: 22,
    y: 22,
    width: PAGE.width - 44,
    height: PAGE.height - 44,
    borderColor: ACCENT,
    borderWidth: 3,
  });
  page.drawRectangle({
    x: 30,
    y: 30,
    width: PAGE.width - 60,
    height: PAGE.height - 60,
    borderColor: ACCENT,
    borderWidth: 0.75,
  });

  const revocationNotice = details.revocation
    ? fitText(
        text(
          t("pdf.revokedOn", {
            date: formatDate(details.revocation.at, language),
            reason: details.revocation.reason || t("pdf.noReason"),
          }),
        ),
        fonts.bold,
        { maxSize: 11, minSize: 7, maxWidth: contentWidth, maxLines: 2 },
      )
    : null;
  const bandHeight = revocationNotice ? revocationNotice.lines.length * revocationNotice.size * 1.3 + 8 : 0;

  const facts = `${t("pdf.completedOn", { date: completedOn })}   ·   ${t("pdf.videoTime", { duration: formatVideoTime(details.course.videoSeconds, t) })}`;
  const block = (
    value: string,
    font: PDFFont,
    color: RGB,
    maxSize: number,
    minSize: number,
    maxLines: number,
    gapBefore: number,
    leading = 1.25,
  ): Block => ({
    text: text(value),
    font,
    color,
    maxSize,
    minSize,
    maxLines,
    gapBefore,
    leading,
  });
  drawBlocks(
    pen,
    [
      block(details.issuer.platform.toUpperCase(), fonts.bold, ACCENT, 12, 9, 1, 0),
      ...(details.issuer.organisation !== details.issuer.platform
        ? [block(details.issuer.organisation, fonts.regular, MUTED, 10, 7, 1, 2)]
        : []),
      block(t("pdf.title"), fonts.bold, INK, 26, 16, 1, 16),
      block(t("pdf.certifies"), fonts.regular, MUTED, 13, 10, 1, 12),
      block(details.learner.name, fonts.bold, ACCENT, 30, 15, 2, 8, 1.2),
      block(t("pdf.completed"), fonts.regular, MUTED, 13, 10, 1, 8),
      block(courseTitle, fonts.bold, INK, 20, 11, 3, 6, 1.2),
      block(
        t("pdf.convention", { code: details.convention.code, name: conventionName }),
        fonts.regular,
        MUTED,
        12,
        8,
        2,
        4,
      ),
      block(facts, fonts.regular, INK, 12, 8, 2, 12),
    ],
    PAGE.height - 50 - bandHeight,
    BOTTOM_BAND_TOP + 14,
    contentWidth - 40,
  );

  // Bottom band: who issued it, its code and where to check it; the QR code on the right.
  const qrX = PAGE.width - MARGIN - QR_SIZE + 8;
  const qrY = 40;
  drawQrCode(page, details.verifyUrl, qrX, qrY, QR_SIZE);
  const scan = text(t("pdf.scan"));
  const scanSize = fitText(scan, fonts.regular, { maxSize: 8, minSize: 6, maxWidth: QR_SIZE, maxLines: 1 }).size;
  page.drawText(scan, {
    x: qrX + (QR_SIZE - fonts.regular.widthOfTextAtSize(scan, scanSize)) / 2,
    y: qrY + QR_SIZE + 2,
    size: scanSize,
    font: fonts.regular,
    color: MUTED,
  });

  const columnWidth = qrX - MARGIN - 24;
  let by = BOTTOM_BAND_TOP;
  page.drawLine({
    start: { x: MARGIN, y: by + 8 },
    end: { x: MARGIN + columnWidth, y: by + 8 },
    thickness: 0.5,
    color: MUTED,
  });
  by = drawLeft(
    pen,
    fitText(text(t("pdf.issuedBy", { organisation: details.issuer.organisation })), fonts.regular, {
      maxSize: 10,
      minSize: 7,
      maxWidth: columnWidth,
      maxLines: 2,
    }),
    MARGIN,
    by,
    fonts.regular,
    INK,
  );
  by = drawLeft(
    pen,
    fitText(text(t("pdf.platform", { platform: details.issuer.platform, url: details.issuer.url })), fonts.regular, {
      maxSize: 10,
      minSize: 7,
      maxWidth: columnWidth,
      maxLines: 2,
    }),
    MARGIN,
    by - 2,
    fonts.regular,
    INK,
  );
  by = drawLeft(
    pen,
    { lines: [text(t("pdf.code", { code: details.code }))], size: 12 },
    MARGIN,
    by - 6,
    fonts.bold,
    INK,
  );
  by = drawLeft(pen, { lines: [text(t("pdf.verifyAt"))], size: 9 }, MARGIN, by - 6, fonts.regular, MUTED);
  // Printed in full, never cut: a long address wraps between characters.
  const url = details.verifyUrl;
  const urlSize = Math.max(7, Math.min(11, (columnWidth / fonts.regular.widthOfTextAtSize(url, 11)) * 11));
  drawLeft(
    pen,
    { lines: wrapText(url, (s) => fonts.regular.widthOfTextAtSize(s, urlSize), columnWidth), size: urlSize },
    MARGIN,
    by - 2,
    fonts.regular,
    ACCENT,
  );

  if (details.revocation) {
    const stamp = text(t("pdf.revoked"));
    const stampSize = 72;
    const stampWidth = fonts.bold.widthOfTextAtSize(stamp, stampSize);
    const angle = 24;
    const radians = (angle * Math.PI) / 180;
    page.drawText(stamp, {
      x: PAGE.width / 2 - (Math.cos(radians) * stampWidth) / 2 + (Math.sin(radians) * stampSize) / 3,
      y: PAGE.height / 2 - (Math.sin(radians) * stampWidth) / 2 - 10,
      size: stampSize,
      font: fonts.bold,
      color: REVOKED,
      opacity: 0.28,
      rotate: degrees(angle),
    });
    page.drawRectangle({
      x: 31,
      y: PAGE.height - 31 - bandHeight,
      width: PAGE.width - 62,
      height: bandHeight,
      color: rgb(1, 0.93, 0.93),
    });
    drawCentered(pen, revocationNotice!, PAGE.height - 35, fonts.bold, REVOKED, 1.3);
  }

  return doc.save();
}

// Anyone holding a code may ask for its PDF as often as they like; a few
// milliseconds of hashing spare a re-render of one that has not changed.
// The key is everything the PDF states, so a revocation or a renamed
// learner or course makes a new one.
const CACHE_SIZE = 100;
const rendered = new Map<string, Uint8Array>();

export async function certificatePdf(details: CertificateDetails, language: Language): Promise<Uint8Array> {
  const key = createHash("sha256")
    .update(JSON.stringify([language, details]))
    .digest("base64url");
  const hit = rendered.get(key);
  if (hit) {
    rendered.delete(key);
    rendered.set(key, hit); // most recently used last
    return hit;
  }
  const pdf = await renderCertificatePdf(details, language);
  rendered.set(key, pdf);
  if (rendered.size > CACHE_SIZE) rendered.delete(rendered.keys().next().value!);
  return pdf;
}

/** The file name a browser saves it as: the code only, which is ASCII. */
export function certificateFileName(code: string, language: Language): string {
  return `${language === "en" ? "certificate" : "chung-nhan"}-${code}.pdf`;
}
