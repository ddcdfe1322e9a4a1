/**
 * Regenerates the narrated slide videos of the course lessons under courses/.
 *
 *   npx tsx scripts/courses-videos.ts [path-filter]
 *
 * For every lesson listed in a courses/<conv>/<code>/course.yaml (or only those whose
 * path contains path-filter) it:
 *   1. renders each slide of slides.md to a 1280×720 PNG (ffmpeg drawtext, DejaVu Sans);
 *   2. speaks each section of transcript.md with espeak-ng (Vietnamese voice);
 *   3. computes the slide cue times (total 180–300 s, aiming for 200–260 s);
 *   4. encodes video.mp4 (H.264 still-image + AAC mono), checked to be < 1.5 MB;
 *   5. writes captions.vi.vtt from the transcript;
 *   6. updates `cues:` in lesson.yaml.
 *
 * Requires ffmpeg + ffprobe (libx264, drawtext/libfreetype), espeak-ng and fonts-dejavu-core.
 * DEJAVU_DIR overrides the font directory. See courses/README.md.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, parse, parseDocument } from "yaml";
import { slideSections } from "~/catalog/slides";
import { checkLessonDuration, MAX_LESSON_SECONDS, MIN_LESSON_SECONDS } from "~/media/lesson-duration";

// ---------------------------------------------------------------------------
// Settings

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COURSES_DIR = path.join(ROOT, "courses");
const FONT_DIR = process.env.DEJAVU_DIR ?? "/usr/share/fonts/truetype/dejavu";
const FONT_REGULAR = path.join(FONT_DIR, "DejaVuSans.ttf");
const FONT_BOLD = path.join(FONT_DIR, "DejaVuSans-Bold.ttf");

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 5;

const VOICE = "vi";
const BASE_RATE = 145; // espeak-ng words per minute
const MIN_RATE = 125;
const MAX_RATE = 160;

const LEAD_IN = 0.4; // silence before the first section (s)
const PAUSE = 0.9; // silence after each section (s)
const MAX_PAUSE = 2.5; // never pad more than this per slide
const TAIL = 1.2; // silence after the last section (s)

const AIM_MIN = 200;
const AIM_MAX = 260;
const AIM = 230;

const MAX_VIDEO_BYTES = 1_500_000;
const WARN_TOTAL_BYTES = 25_000_000;
const MAX_CUE_CHARS = 90;

const COLORS = {
  background: "0xF7F5EF",
  band: "0x1F3A5F",
  title: "0x1F3A5F",
  accent: "0xC8102E",
  text: "0x1F2933",
  bullet: "0xC8102E",
  footer: "0x6B7280",
  rule: "0xD5D2C8",
};

// ---------------------------------------------------------------------------
// Small helpers

class LessonError extends Error {}
class Interrupted extends Error {}

// Ctrl-C also reaches the child processes; remember it so that temp dirs are removed.
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted = true;
  });
}

/** Runs a program with an argument array (no shell); rejects with the tail of its stderr. */
function run(cmd: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (interrupted) return reject(new Interrupted("interrupted"));
      if (!error) return resolve(stdout);
      const tail = (stderr || stdout || error.message).trim().split("\n").slice(-8).join("\n");
      reject(new Error(`${what}: ${cmd} failed (${error.code ?? error.signal ?? "error"})\n${tail}`));
    });
  });
}

/** Paths go into ffmpeg filter graphs unescaped, so only allow plain characters. */
function filterSafe(p: string): string {
  if (!/^[A-Za-z0-9/._+-]+$/.test(p)) {
    throw new Error(`path not usable inside an ffmpeg filter graph: ${p}`);
  }
  return p;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function fmtBytes(n: number): string {
  return `${(n / 1_000_000).toFixed(2)} MB`;
}

function fmtVttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const p = (n: number, w: number) => String(n).padStart(w, "0");
  return `${p(h, 2)}:${p(m, 2)}:${p(s, 2)}.${p(r, 3)}`;
}

/** Writes only when the content changed, so re-runs do not touch unchanged files. */
function writeIfChanged(file: string, data: Buffer | string): boolean {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (existsSync(file) && readFileSync(file).equals(buf)) return false;
  writeFileSync(file, buf);
  return true;
}

// ---------------------------------------------------------------------------
// Markdown (the small subset used by slides.md and transcript.md)

/** The sections of slides.md or transcript.md, split as the app splits them; none may be empty. */
function splitSections(md: string, file: string): string[] {
  const sections = slideSections(md.replace(/\r\n?/g, "\n"));
  sections.forEach((s, i) => {
    if (!s) throw new LessonError(`${file}: section ${i + 1} is empty`);
  });
  return sections;
}

function stripInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/__([^_]+)__/g, "$1")
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, "$1$2")
    .replace(/(^|[\s(])_([^_\s][^_]*)_/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim()
    .normalize("NFC");
}

interface SlideItem {
  text: string;
  bullet: boolean;
}
interface Slide {
  title: string;
  items: SlideItem[];
}

function parseSlide(section: string, where: string): Slide {
  let title = "";
  const items: SlideItem[] = [];
  for (const raw of section.split("\n")) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const heading = /^#\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (heading && !title) {
      title = stripInline(heading[1] ?? "");
    } else if (bullet) {
      items.push({ text: stripInline(bullet[1] ?? ""), bullet: true });
    } else if (/^\s+\S/.test(line) && items.length > 0) {
      const last = items[items.length - 1]!;
      last.text = `${last.text} ${stripInline(line)}`;
    } else {
      items.push({ text: stripInline(line.replace(/^#+\s*/, "")), bullet: false });
    }
  }
  if (!title) throw new LessonError(`${where}: slide has no "# Heading"`);
  return { title, items };
}

function transcriptText(section: string): string {
  return stripInline(section.replace(/^#+\s.*$/gm, "").replace(/\n+/g, " "));
}

// ---------------------------------------------------------------------------
// Font metrics, read from the TrueType tables, for word wrapping.

class FontMetrics {
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

function wrap(font: FontMetrics, text: string, size: number, maxWidth: number): string[] {
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
function wrapBalanced(font: FontMetrics, text: string, size: number, maxWidth: number): string[] {
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

// ---------------------------------------------------------------------------
// Slide rendering

interface TextDraw {
  text: string;
  bold: boolean;
  size: number;
  color: string;
  x: string;
  baseline: number; // drawtext places the top of the text's own glyphs at y, so use y=baseline-ascent
}

const MARGIN_X = 80;
const FOOTER_TOP = HEIGHT - 54;

function layoutSlide(
  slide: Slide,
  index: number,
  count: number,
  courseTitle: string,
  fonts: { regular: FontMetrics; bold: FontMetrics },
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
    texts.push({ text: line, bold: true, size: titleSize, color: COLORS.title, x: String(MARGIN_X), baseline: y + titleSize });
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
  texts.push({ text: footer, bold: false, size: footerSize, color: COLORS.footer, x: String(MARGIN_X), baseline: footerY + footerSize });
  texts.push({ text: counter, bold: false, size: footerSize, color: COLORS.footer, x: `w-tw-${MARGIN_X}`, baseline: footerY + footerSize });

  const boxes = [
    `drawbox=x=0:y=0:w=${WIDTH}:h=12:color=${COLORS.band}:t=fill`,
    `drawbox=x=${MARGIN_X}:y=${accentY}:w=120:h=6:color=${COLORS.accent}:t=fill`,
    `drawbox=x=${MARGIN_X}:y=${FOOTER_TOP}:w=${WIDTH - 2 * MARGIN_X}:h=2:color=${COLORS.rule}:t=fill`,
  ];
  return { texts, boxes };
}

async function renderSlide(
  slide: Slide,
  index: number,
  count: number,
  courseTitle: string,
  fonts: { regular: FontMetrics; bold: FontMetrics },
  tmp: string,
  out: string,
  where: string,
): Promise<void> {
  const { texts, boxes } = layoutSlide(slide, index, count, courseTitle, fonts, where);
  const filters = ["format=rgb24", ...boxes];
  texts.forEach((t, i) => {
    // textfile= keeps arbitrary text (quotes, colons, %, diacritics) out of the filter syntax.
    const file = path.join(tmp, `s${index}-t${i}.txt`);
    writeFileSync(file, t.text, "utf8");
    filters.push(
      [
        `drawtext=fontfile=${filterSafe(t.bold ? FONT_BOLD : FONT_REGULAR)}`,
        `textfile=${filterSafe(file)}`,
        "expansion=none",
        `fontsize=${t.size}`,
        `fontcolor=${t.color}`,
        `x=${t.x}`,
        `y=${t.baseline}-ascent`,
      ].join(":"),
    );
  });
  await run(
    "ffmpeg",
    [
      "-hide_banner", "-loglevel", "error", "-y",
      "-f", "lavfi", "-i", `color=c=${COLORS.background}:s=${WIDTH}x${HEIGHT}:d=1`,
      "-vf", filters.join(","),
      "-frames:v", "1",
      out,
    ],
    `${where}: rendering slide`,
  );
}

// ---------------------------------------------------------------------------
// Speech

const LETTER_NAMES: Record<string, string> = {
  A: "a", B: "bê", C: "xê", D: "dê", Đ: "đê", E: "e", F: "ép", G: "giê", H: "hát", I: "i",
  J: "gi", K: "ca", L: "e-lờ", M: "em-mờ", N: "en-nờ", O: "o", P: "pê", Q: "quy", R: "e-rờ",
  S: "ét", T: "tê", U: "u", V: "vê", W: "vê-kép", X: "ích", Y: "i-dài", Z: "dét",
};

/** Words said differently from their spelling (checked before letter-by-letter spelling). */
const PRONOUNCE: [RegExp, string][] = [
  [/QĐ-TTg/g, "quy-đê tê-tê-gờ"],
  [/(?<![\p{L}\p{N}])CEDAW(?![\p{L}\p{N}])/gu, "xê-đô"],
  [/(?<![\p{L}\p{N}])MOOCs?(?![\p{L}\p{N}])/gu, "mút"],
];

/** Rewrites text the way it should be read aloud by espeak-ng's Vietnamese voice. */
function speakable(text: string): string {
  let s = text;
  for (const [re, say] of PRONOUNCE) s = s.replace(re, say);
  s = s
    .replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, "$1 tháng $2 năm $3")
    .replace(/(\d)\s*[–—-]\s*(\d)/g, "$1 đến $2")
    .replace(/&/g, " và ")
    .replace(/[“”"«»]/g, "")
    .replace(/(?<![\p{L}\p{N}])([A-ZĐ]{2,})(?![\p{L}\p{N}])/gu, (_m, word: string) =>
      [...word].map((c) => LETTER_NAMES[c] ?? c).join(" "),
    );
  return s.replace(/\s+/g, " ").trim();
}

interface Pcm {
  sampleRate: number;
  channels: number;
  bits: number;
  data: Buffer;
}

function readWav(file: string): Pcm {
  const buf = readFileSync(file);
  if (buf.toString("latin1", 0, 4) !== "RIFF" || buf.toString("latin1", 8, 12) !== "WAVE") {
    throw new Error(`${file}: not a WAV file`);
  }
  let fmt: Omit<Pcm, "data"> | null = null;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString("latin1", pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === "fmt ") {
      if (buf.readUInt16LE(body) !== 1) throw new Error(`${file}: not PCM`);
      fmt = { channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === "data") {
      if (!fmt) throw new Error(`${file}: data before fmt`);
      // espeak-ng streaming output may leave the size at 0 or 0xFFFFFFFF.
      if (size === 0 || body + size > buf.length) size = buf.length - body;
      return { ...fmt, data: buf.subarray(body, body + size) };
    }
    pos = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

function writeWav(file: string, pcm: Pcm): void {
  const header = Buffer.alloc(44);
  const blockAlign = (pcm.channels * pcm.bits) / 8;
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + pcm.data.length, 4);
  header.write("WAVE", 8, "latin1");
  header.write("fmt ", 12, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(pcm.channels, 22);
  header.writeUInt32LE(pcm.sampleRate, 24);
  header.writeUInt32LE(pcm.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(pcm.bits, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(pcm.data.length, 40);
  writeFileSync(file, Buffer.concat([header, pcm.data]));
}

function pcmSeconds(pcm: Pcm): number {
  return pcm.data.length / ((pcm.sampleRate * pcm.channels * pcm.bits) / 8);
}

/** Removes leading/trailing near-silence (keeps 50 ms) so pauses are under our control. */
function trimSilence(pcm: Pcm): Pcm {
  if (pcm.bits !== 16 || pcm.channels !== 1) return pcm;
  const n = pcm.data.length / 2;
  const loud = (i: number) => Math.abs(pcm.data.readInt16LE(2 * i)) > 300;
  let a = 0;
  while (a < n && !loud(a)) a++;
  let b = n - 1;
  while (b > a && !loud(b)) b--;
  const keep = Math.round(pcm.sampleRate * 0.05);
  a = Math.max(0, a - keep);
  b = Math.min(n - 1, b + keep);
  return { ...pcm, data: pcm.data.subarray(2 * a, 2 * (b + 1)) };
}

function silence(like: Pcm, seconds: number): Buffer {
  const frames = Math.round(seconds * like.sampleRate);
  return Buffer.alloc(frames * like.channels * (like.bits / 8));
}

async function synthesize(sections: string[], rate: number, tmp: string, where: string): Promise<Pcm[]> {
  const pcms: Pcm[] = [];
  for (const [i, text] of sections.entries()) {
    const txt = path.join(tmp, `speech-${i}.txt`);
    const wav = path.join(tmp, `speech-${i}.wav`);
    writeFileSync(txt, speakable(text), "utf8");
    await run("espeak-ng", ["-v", VOICE, "-s", String(rate), "-b", "1", "-f", txt, "-w", wav], `${where}: espeak-ng`);
    pcms.push(trimSilence(readWav(wav)));
  }
  return pcms;
}

interface Timing {
  rate: number;
  pause: number;
  pcms: Pcm[];
  durations: number[];
  starts: number[]; // when each section's speech starts
  total: number;
}

function timingFor(rate: number, pause: number, pcms: Pcm[]): Timing {
  const durations = pcms.map(pcmSeconds);
  const starts: number[] = [];
  let t = LEAD_IN;
  durations.forEach((d, i) => {
    starts.push(t);
    t += d + (i < durations.length - 1 ? pause : TAIL);
  });
  // Whole number of frames, so audio and video end together.
  const total = Math.ceil(t * FPS) / FPS;
  return { rate, pause, pcms, durations, starts, total };
}

async function chooseTiming(sections: string[], tmp: string, where: string): Promise<Timing> {
  let best = timingFor(BASE_RATE, PAUSE, await synthesize(sections, BASE_RATE, tmp, where));
  if (best.total < AIM_MIN || best.total > AIM_MAX) {
    // Speech time is roughly inversely proportional to the espeak rate.
    const speech = best.durations.reduce((a, b) => a + b, 0);
    const fixed = best.total - speech;
    const rate = Math.min(MAX_RATE, Math.max(MIN_RATE, Math.round((BASE_RATE * speech) / (AIM - fixed))));
    if (rate !== BASE_RATE) {
      const retry = timingFor(rate, PAUSE, await synthesize(sections, rate, tmp, where));
      if (Math.abs(retry.total - AIM) < Math.abs(best.total - AIM)) best = retry;
    }
  }
  if (best.total < MIN_LESSON_SECONDS && sections.length > 1) {
    // Still short: lengthen the pauses between slides, within limits.
    const extra = (MIN_LESSON_SECONDS - best.total) / (sections.length - 1) + 0.05;
    best = timingFor(best.rate, Math.min(MAX_PAUSE, PAUSE + extra), best.pcms);
  }
  if (best.total < MIN_LESSON_SECONDS) {
    const missing = Math.ceil(MIN_LESSON_SECONDS + 20 - best.total);
    throw new LessonError(
      `${where}: narration too short (${best.total.toFixed(1)} s at rate ${best.rate}, ` +
        `${best.pause.toFixed(1)} s pauses; minimum ${MIN_LESSON_SECONDS} s). ` +
        `Write about ${Math.ceil(missing * 3)} more words in transcript.md.`,
    );
  }
  if (best.total > MAX_LESSON_SECONDS) {
    throw new LessonError(
      `${where}: narration too long (${best.total.toFixed(1)} s at rate ${best.rate}; ` +
        `maximum ${MAX_LESSON_SECONDS} s). Shorten transcript.md.`,
    );
  }
  return best;
}

// ---------------------------------------------------------------------------
// Captions

/** Splits a section into caption phrases of at most MAX_CUE_CHARS characters. */
function captionPhrases(text: string): string[] {
  const out: string[] = [];
  const packWords = (s: string) => {
    const words = s.split(" ");
    const parts = Math.ceil(s.length / MAX_CUE_CHARS);
    const target = s.length / parts;
    let cur = "";
    for (const w of words) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && (next.length > MAX_CUE_CHARS || cur.length >= target)) {
        out.push(cur);
        cur = w;
      } else cur = next;
    }
    if (cur) out.push(cur);
  };
  for (const sentence of text.split(/(?<=[.!?…])\s+/)) {
    if (sentence.length <= MAX_CUE_CHARS) {
      out.push(sentence);
      continue;
    }
    // Merge comma/semicolon/colon clauses greedily up to the limit.
    let cur = "";
    for (const clause of sentence.split(/(?<=[,;:])\s+/)) {
      const next = cur ? `${cur} ${clause}` : clause;
      if (next.length <= MAX_CUE_CHARS) {
        cur = next;
        continue;
      }
      if (cur) out.push(cur);
      cur = "";
      if (clause.length <= MAX_CUE_CHARS) cur = clause;
      else packWords(clause);
    }
    if (cur) out.push(cur);
  }
  return out.filter(Boolean);
}

function escapeVtt(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/-->/g, "→");
}

function buildVtt(sections: string[], timing: Timing): string {
  const lines = ["WEBVTT", ""];
  let n = 0;
  sections.forEach((text, i) => {
    const phrases = captionPhrases(text);
    // Time each phrase by the length of what is actually spoken.
    const weights = phrases.map((p) => Math.max(1, speakable(p).length));
    const sum = weights.reduce((a, b) => a + b, 0);
    const start = timing.starts[i] ?? 0;
    const dur = timing.durations[i] ?? 0;
    let acc = 0;
    phrases.forEach((p, j) => {
      const a = start + (dur * acc) / sum;
      acc += weights[j] ?? 0;
      const b = start + (dur * acc) / sum;
      n++;
      lines.push(String(n), `${fmtVttTime(a)} --> ${fmtVttTime(b)}`, escapeVtt(p), "");
    });
  });
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Video

async function encodeVideo(
  pngs: string[],
  cueFrames: number[],
  totalFrames: number,
  wav: string,
  tmp: string,
  out: string,
  where: string,
): Promise<void> {
  const list = ["ffconcat version 1.0"];
  pngs.forEach((png, i) => {
    const end = cueFrames[i + 1] ?? totalFrames;
    list.push(`file '${filterSafe(png)}'`, `duration ${((end - (cueFrames[i] ?? 0)) / FPS).toFixed(3)}`);
  });
  // The concat demuxer ignores the last duration unless the file is repeated.
  list.push(`file '${filterSafe(pngs[pngs.length - 1] ?? "")}'`);
  const listFile = path.join(tmp, "slides.ffconcat");
  writeFileSync(listFile, `${list.join("\n")}\n`);
  await run(
    "ffmpeg",
    [
      "-hide_banner", "-loglevel", "error", "-y",
      "-f", "concat", "-safe", "0", "-i", listFile,
      "-i", wav,
      "-map", "0:v", "-map", "1:a",
      "-vf", `fps=${FPS},format=yuv420p`,
      "-c:v", "libx264", "-preset", "slow", "-tune", "stillimage", "-crf", "30",
      // Key frames exactly at slide changes (and at least once a minute) keep the file small.
      "-g", String(FPS * 60), "-force_key_frames", cueFrames.map((f) => (f / FPS).toFixed(1)).join(","),
      "-threads", "1",
      "-c:a", "aac", "-ac", "1",
      // ffmpeg's native AAC encoder overshoots on synthetic speech: a nominal 24 kb/s with a
      // 5.5 kHz cutoff comes out at about 30 kb/s, which is plenty for espeak-ng's voice.
      "-b:a", "24k", "-cutoff", "5500",
      "-t", (totalFrames / FPS).toFixed(3),
      "-map_metadata", "-1", "-map_chapters", "-1",
      "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
      "-movflags", "+faststart",
      out,
    ],
    `${where}: encoding video`,
  );
}

async function probeDuration(file: string): Promise<number> {
  const outText = await run(
    "ffprobe",
    ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file],
    "ffprobe",
  );
  const d = Number.parseFloat(outText.trim());
  if (!Number.isFinite(d)) throw new Error(`ffprobe: no duration for ${file}`);
  return d;
}

// ---------------------------------------------------------------------------
// Lessons

interface LessonRef {
  rel: string; // path relative to the repository root
  dir: string;
  courseTitle: string;
}

function asRecord(v: unknown, file: string): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`${file}: expected a YAML mapping`);
  return v as Record<string, unknown>;
}

function subdirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

function findLessons(filter: string | undefined): LessonRef[] {
  if (!existsSync(COURSES_DIR)) throw new Error(`no courses directory at ${COURSES_DIR}`);
  const lessons: LessonRef[] = [];
  for (const conv of subdirs(COURSES_DIR)) {
    for (const code of subdirs(path.join(COURSES_DIR, conv))) {
      const courseDir = path.join(COURSES_DIR, conv, code);
      const courseFile = path.join(courseDir, "course.yaml");
      if (!existsSync(courseFile)) continue;
      const course = asRecord(parse(readFileSync(courseFile, "utf8")), courseFile);
      const slugs = course.lessons;
      if (!Array.isArray(slugs) || !slugs.every((s): s is string => typeof s === "string")) {
        throw new Error(`${courseFile}: 'lessons' must be a list of folder names`);
      }
      const courseTitle = typeof course.title === "string" ? course.title.normalize("NFC") : code;
      for (const slug of slugs) {
        const dir = path.join(courseDir, "lessons", slug);
        const rel = path.relative(ROOT, dir);
        if (filter && !rel.includes(filter)) continue;
        lessons.push({ rel, dir, courseTitle });
      }
    }
  }
  return lessons;
}

interface LessonResult {
  rel: string;
  slides: number;
  rate: number;
  duration: number;
  bytes: number;
}

async function processLesson(
  lesson: LessonRef,
  fonts: { regular: FontMetrics; bold: FontMetrics },
): Promise<LessonResult> {
  const { dir, rel } = lesson;
  const lessonFile = path.join(dir, "lesson.yaml");
  if (!existsSync(lessonFile)) throw new LessonError(`${rel}: lesson.yaml missing`);
  const doc = parseDocument(readFileSync(lessonFile, "utf8"));
  if (doc.errors.length > 0) throw new LessonError(`${rel}/lesson.yaml: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) throw new LessonError(`${rel}/lesson.yaml: expected a mapping`);
  const meta = asRecord(doc.toJS(), lessonFile);
  const name = (key: string, fallback: string) => {
    const v = meta[key];
    return typeof v === "string" && v ? v : fallback;
  };
  const slidesFile = name("slides", "slides.md");
  const transcriptFile = name("transcript", "transcript.md");
  const videoFile = name("video", "video.mp4");
  const captions = Array.isArray(meta.captions) ? meta.captions : [];
  const viCaption = captions
    .map((c) => asRecord(c, lessonFile))
    .find((c) => typeof c.language === "string" && c.language.startsWith("vi"));
  const captionFile = typeof viCaption?.file === "string" ? viCaption.file : "captions.vi.vtt";
  for (const f of [slidesFile, transcriptFile, videoFile, captionFile]) {
    if (f.includes("/") || f.includes("\\")) throw new LessonError(`${rel}: file names must be plain (${f})`);
  }

  const slidesPath = path.join(dir, slidesFile);
  const transcriptPath = path.join(dir, transcriptFile);
  const slides = splitSections(readFileSync(slidesPath, "utf8"), `${rel}/${slidesFile}`).map((s, i) =>
    parseSlide(s, `${rel}/${slidesFile} slide ${i + 1}`),
  );
  const sections = splitSections(readFileSync(transcriptPath, "utf8"), `${rel}/${transcriptFile}`).map(transcriptText);
  if (slides.length !== sections.length) {
    throw new LessonError(
      `${rel}: ${slidesFile} has ${slides.length} slides but ${transcriptFile} has ${sections.length} sections`,
    );
  }

  const tmp = mkdtempSync(path.join(tmpdir(), "courses-videos-"));
  try {
    const pngs: string[] = [];
    for (const [i, slide] of slides.entries()) {
      const png = path.join(tmp, `slide-${String(i + 1).padStart(2, "0")}.png`);
      await renderSlide(slide, i, slides.length, lesson.courseTitle, fonts, tmp, png, `${rel} slide ${i + 1}`);
      pngs.push(png);
    }
    const timing = await chooseTiming(sections, tmp, rel);

    // Slide i is shown from the start of its narration (slide 1 from 0) until slide i+1.
    const cueFrames = timing.starts.map((s, i) => (i === 0 ? 0 : Math.round(s * FPS)));
    const totalFrames = Math.round(timing.total * FPS);
    for (let i = 1; i < cueFrames.length; i++) {
      if ((cueFrames[i] ?? 0) <= (cueFrames[i - 1] ?? 0)) throw new LessonError(`${rel}: slide ${i + 1} has no time`);
    }

    const first = timing.pcms[0];
    if (!first) throw new LessonError(`${rel}: no narration`);
    const parts: Buffer[] = [silence(first, LEAD_IN)];
    timing.pcms.forEach((pcm, i) => {
      if (pcm.sampleRate !== first.sampleRate || pcm.channels !== first.channels || pcm.bits !== first.bits) {
        throw new LessonError(`${rel}: espeak-ng produced inconsistent WAV formats`);
      }
      parts.push(pcm.data, silence(first, i < timing.pcms.length - 1 ? timing.pause : TAIL));
    });
    let audio = Buffer.concat(parts);
    const wantBytes = Math.round((totalFrames / FPS) * first.sampleRate) * first.channels * (first.bits / 8);
    audio = audio.length >= wantBytes ? audio.subarray(0, wantBytes) : Buffer.concat([audio, Buffer.alloc(wantBytes - audio.length)]);
    const wav = path.join(tmp, "narration.wav");
    writeWav(wav, { ...first, data: audio });

    const mp4 = path.join(tmp, "video.mp4");
    await encodeVideo(pngs, cueFrames, totalFrames, wav, tmp, mp4, rel);
    const debugDir = process.env.COURSES_VIDEOS_DEBUG_DIR;
    if (debugDir) {
      // Keeps the intermediate files (slide PNGs, narration, video) for inspection.
      const keep = path.resolve(debugDir, rel.replace(/[\\/]/g, "__"));
      mkdirSync(keep, { recursive: true });
      for (const f of [...pngs, wav, mp4]) writeFileSync(path.join(keep, path.basename(f)), readFileSync(f));
    }
    const bytes = statSync(mp4).size;
    if (bytes >= MAX_VIDEO_BYTES) {
      throw new LessonError(`${rel}: video is ${fmtBytes(bytes)}, over the ${fmtBytes(MAX_VIDEO_BYTES)} limit`);
    }
    const duration = await probeDuration(mp4);
    if (!checkLessonDuration(duration).ok) {
      throw new LessonError(`${rel}: encoded video lasts ${duration.toFixed(1)} s, outside ${MIN_LESSON_SECONDS}–${MAX_LESSON_SECONDS} s`);
    }

    writeIfChanged(path.join(dir, videoFile), readFileSync(mp4));
    writeIfChanged(path.join(dir, captionFile), buildVtt(sections, timing));

    const cues = cueFrames.map((f) => round1(f / FPS));
    const cuesNode = doc.createNode(cues, { flow: true });
    doc.set("cues", cuesNode);
    writeIfChanged(lessonFile, doc.toString({ lineWidth: 0 }));

    return { rel, slides: slides.length, rate: timing.rate, duration, bytes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

function checkTools(): void {
  for (const [cmd, args] of [
    ["ffmpeg", ["-hide_banner", "-version"]],
    ["ffprobe", ["-hide_banner", "-version"]],
    ["espeak-ng", ["--version"]],
  ] as const) {
    const res = spawnSync(cmd, [...args], { encoding: "utf8" });
    if (res.error || res.status !== 0) {
      throw new Error(`${cmd} is required (Debian: apt-get install -y ffmpeg espeak-ng fonts-dejavu-core)`);
    }
  }
  const voices = spawnSync("espeak-ng", [`--voices=${VOICE}`], { encoding: "utf8" }).stdout ?? "";
  if (!voices.split("\n").some((l) => l.trim().split(/\s+/)[1] === VOICE)) {
    throw new Error(`espeak-ng has no '${VOICE}' voice`);
  }
  for (const f of [FONT_REGULAR, FONT_BOLD]) {
    if (!existsSync(f)) throw new Error(`font not found: ${f} (install fonts-dejavu-core or set DEJAVU_DIR)`);
    filterSafe(f);
  }
  filterSafe(tmpdir());
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  checkTools();
  const lessons = findLessons(filter);
  if (lessons.length === 0) {
    console.error(filter ? `no lessons match "${filter}"` : "no lessons found under courses/");
    return 1;
  }
  const fonts = { regular: new FontMetrics(FONT_REGULAR), bold: new FontMetrics(FONT_BOLD) };
  const done: LessonResult[] = [];
  const failed: { rel: string; message: string }[] = [];
  for (const [i, lesson] of lessons.entries()) {
    if (interrupted) throw new Interrupted("interrupted");
    const tag = `[${i + 1}/${lessons.length}]`;
    const started = Date.now();
    try {
      const r = await processLesson(lesson, fonts);
      done.push(r);
      console.log(
        `${tag} ${r.rel}: ${r.slides} slides, rate ${r.rate}, ${r.duration.toFixed(1)} s, ` +
          `${fmtBytes(r.bytes)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (err) {
      if (err instanceof Interrupted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      failed.push({ rel: lesson.rel, message });
      console.error(`${tag} ${lesson.rel}: FAILED\n  ${message.replace(/\n/g, "\n  ")}`);
    }
  }

  const totalBytes = done.reduce((a, r) => a + r.bytes, 0);
  const totalSeconds = done.reduce((a, r) => a + r.duration, 0);
  console.log(
    `\n${done.length} lesson(s) done, ${failed.length} failed; ` +
      `${(totalSeconds / 60).toFixed(1)} min of video, ${fmtBytes(totalBytes)} in total`,
  );
  if (!filter && totalBytes > WARN_TOTAL_BYTES) {
    console.warn(`warning: videos total ${fmtBytes(totalBytes)}, more than ${fmtBytes(WARN_TOTAL_BYTES)}`);
  }
  for (const f of failed) console.error(`FAILED ${f.rel}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = err instanceof Interrupted ? 130 : 1;
  },
);
