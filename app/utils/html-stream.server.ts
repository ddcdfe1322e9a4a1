import { Transform, type TransformCallback } from "node:stream";

/**
 * The HTML React streams, with NUL bytes taken out. React 18's server renderer
 * writes its 2,048-byte buffer whole when a multi-byte character does not fit
 * at its end, so one or two zero bytes from the buffer's unused tail land in
 * the page — in the middle of a Vietnamese word ("ph\0ủ"), where they break the
 * text, and its accessible name, that a person or a screen reader gets. A NUL
 * byte in UTF-8 is only ever U+0000 itself, which HTML does not allow in text,
 * so removing every one changes nothing else.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (!chunk.includes(0)) return done(null, chunk);
      const kept = Buffer.allocUnsafe(chunk.length);
      let length = 0;
      for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
      done(null, kept.subarray(0, length));
    },
  });
}
