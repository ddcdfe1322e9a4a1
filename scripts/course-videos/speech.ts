// What espeak-ng's Vietnamese voice is given to say, and saying it.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "./run";
import { VOICE } from "./settings";
import { readWav, trimSilence, type Pcm } from "./wav";

const LETTER_NAMES: Record<string, string> = {
  A: "a",
  B: "bê",
  C: "xê",
  D: "dê",
  Đ: "đê",
  E: "e",
  F: "ép",
  G: "giê",
  H: "hát",
  I: "i",
  J: "gi",
  K: "ca",
  L: "e-lờ",
  M: "em-mờ",
  N: "en-nờ",
  O: "o",
  P: "pê",
  Q: "quy",
  R: "e-rờ",
  S: "ét",
  T: "tê",
  U: "u",
  V: "vê",
  W: "vê-kép",
  X: "ích",
  Y: "i-dài",
  Z: "dét",
};

/** Words said differently from their spelling (checked before letter-by-letter spelling). */
const PRONOUNCE: [RegExp, string][] = [
  [/QĐ-TTg/g, "quy-đê tê-tê-gờ"],
  [/(?<![\p{L}\p{N}])CEDAW(?![\p{L}\p{N}])/gu, "xê-đô"],
  [/(?<![\p{L}\p{N}])MOOCs?(?![\p{L}\p{N}])/gu, "mút"],
];

/** Rewrites text the way it should be read aloud by espeak-ng's Vietnamese voice. */
export function speakable(text: string): string {
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

/** Speaks each section at the rate (words per minute); silence at either end is trimmed. */
export async function synthesize(sections: string[], rate: number, tmp: string, where: string): Promise<Pcm[]> {
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
