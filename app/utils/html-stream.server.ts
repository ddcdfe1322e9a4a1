import { Transform, type TransformCallback } from "node:stream";

/** Takes every NUL byte out of a chunk (see withoutNulBytes). */
function stripNul(chunk: Buffer): Buffer {
  if (!chunk.includes(0)) return chunk;
  const kept = Buffer.allocUnsafe(chunk.length);
  let length = 0;
  for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
  return kept.subarray(0, length);
}

/** A Transform React can call `flush()` on, as it does on a zlib stream. */
export type HtmlStream = Transform & { flush(): void };

/**
 * The HTML React streams, with NUL bytes taken out, one chunk per flush.
 *
 * NUL bytes: React 18's server renderer writes its 2,048-byte buffer whole
 * when a multi-byte character does not fit at its end, so one or two zero
 * bytes from the buffer's unused tail land in the page — in the middle of a
 * Vietnamese word ("ph\0ủ"), where they break the text, and its accessible
 * name, that a person or a screen reader gets. A NUL byte in UTF-8 is only
 * ever U+0000 itself, which HTML does not allow in text, so removing every one
 * changes nothing else.
 *
 * One chunk per flush: React writes a page as many buffers of at most 2 KB
 * and calls `flush()` when it has nothing more to send for now (the shell, then
 * each Suspense boundary). Remix flushes the response after every chunk it
 * reads, which makes the compression middleware end a deflate block each time:
 * ~50 flushes for a 100 KB page, a third of the request's CPU and a worse
 * ratio (docs/decisions/150-pages-cheap-to-serve.md). Held until React's flush,
 * the page goes out as one chunk per batch, compressed once.
 */
export function withoutNulBytes(): HtmlStream {
  let held: Buffer[] = [];
  const stream = new Transform({
    // Never hold React back: what it writes is in memory already, and a
    // write left waiting would miss the flush it belongs to.
    readableHighWaterMark: 1 << 30,
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      held.push(chunk);
      done();
    },
    final(done: TransformCallback) {
      release();
      done();
    },
  }) as HtmlStream;
  function release() {
    if (held.length === 0) return;
    const chunk = held.length === 1 ? held[0]! : Buffer.concat(held);
    held = [];
    stream.push(stripNul(chunk));
  }
  stream.flush = release;
  return stream;
}
