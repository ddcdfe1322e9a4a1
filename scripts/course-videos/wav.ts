// PCM audio in WAV files: reading espeak-ng's output, trimming, padding, writing the narration.
import { readFileSync, writeFileSync } from "node:fs";

export interface Pcm {
  sampleRate: number;
  channels: number;
  bits: number;
  data: Buffer;
}

export function parseWav(buf: Buffer, file: string): Pcm {
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
      fmt = {
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
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

export function readWav(file: string): Pcm {
  return parseWav(readFileSync(file), file);
}

export function wavBytes(pcm: Pcm): Buffer {
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
  return Buffer.concat([header, pcm.data]);
}

export function writeWav(file: string, pcm: Pcm): void {
  writeFileSync(file, wavBytes(pcm));
}

export function pcmSeconds(pcm: Pcm): number {
  return pcm.data.length / ((pcm.sampleRate * pcm.channels * pcm.bits) / 8);
}

/** Removes leading/trailing near-silence (keeps 50 ms) so pauses are under our control. */
export function trimSilence(pcm: Pcm): Pcm {
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

export function silence(like: Pcm, seconds: number): Buffer {
  const frames = Math.round(seconds * like.sampleRate);
  return Buffer.alloc(frames * like.channels * (like.bits / 8));
}
