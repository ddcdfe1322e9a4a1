// captions.vi.vtt: the transcript in phrases of at most 90 characters, timed within each section.
import { MAX_CUE_CHARS } from "./settings";
import { speakable } from "./speech";
import type { Timing } from "./timing";

export function fmtVttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const p = (n: number, w: number) => String(n).padStart(w, "0");
  return `${p(h, 2)}:${p(m, 2)}:${p(s, 2)}.${p(r, 3)}`;
}

/** Splits a section into caption phrases of at most MAX_CUE_CHARS characters. */
export function captionPhrases(text: string): string[] {
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

export function escapeVtt(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/-->/g, "→");
}

export function buildVtt(sections: string[], timing: Pick<Timing, "starts" | "durations">): string {
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
