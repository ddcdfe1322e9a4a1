// The fixed choices behind every generated lesson video (see courses/README.md).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const COURSES_DIR = path.join(ROOT, "courses");
const FONT_DIR = process.env.DEJAVU_DIR ?? "/usr/share/fonts/truetype/dejavu";
export const FONT_REGULAR = path.join(FONT_DIR, "DejaVuSans.ttf");
export const FONT_BOLD = path.join(FONT_DIR, "DejaVuSans-Bold.ttf");

export const WIDTH = 1280;
export const HEIGHT = 720;
export const FPS = 5;

export const VOICE = "vi";
export const BASE_RATE = 145; // espeak-ng words per minute
export const MIN_RATE = 125;
export const MAX_RATE = 160;

export const LEAD_IN = 0.4; // silence before the first section (s)
export const PAUSE = 0.9; // silence after each section (s)
export const MAX_PAUSE = 2.5; // never pad more than this per slide
export const TAIL = 1.2; // silence after the last section (s)

export const AIM_MIN = 200;
export const AIM_MAX = 260;
export const AIM = 230;

export const MAX_VIDEO_BYTES = 1_500_000;
export const WARN_TOTAL_BYTES = 25_000_000;
export const MAX_CUE_CHARS = 90;

export const COLORS = {
  background: "0xF7F5EF",
  band: "0x1F3A5F",
  title: "0x1F3A5F",
  accent: "0xC8102E",
  text: "0x1F2933",
  bullet: "0xC8102E",
  footer: "0x6B7280",
  rule: "0xD5D2C8",
};

/** A problem with one lesson's files: that lesson fails, the others still run. */
export class LessonError extends Error {}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function fmtBytes(n: number): string {
  return `${(n / 1_000_000).toFixed(2)} MB`;
}
