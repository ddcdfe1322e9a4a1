// The chunk endpoint over a real socket: it answers 409, 413 and 507 with
// their JSON bodies even when it stops reading a body, where it used to
// reset the connection without a word.
import type { AddressInfo } from "node:net";
import http from "node:http";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { startUpload } from "~/teach/uploads.server";
import { uploadTempPath } from "~/media/upload.server";
import { db } from "~/utils/db.server";
import { action } from "~/routes/api.uploads.$uploadId";
import { createDraftCourse, createUserWithRole } from "../fixtures/teach";
import { fillDiskAfter, makeMediaReadOnly, restoreStorage } from "../helpers/storage-faults";

let server: http.Server;
let port = 0;

beforeAll(async () => {
  // What @remix-run/express does between Node and the route: the body as a
  // web stream read from the socket, the answer written back as it comes.
  server = http.createServer(async (req, res) => {
    try {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
        body: createReadableStreamFromReadable(req),
        duplex: "half",
      } as RequestInit);
      const uploadId = req.url!.split("/").pop()!.split("?")[0]!;
      const response = await action({ request, params: { uploadId }, context: {} });
      res.writeHead(response.status, [...response.headers.entries()].flat());
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      console.error(error);
      res.writeHead(500).end("{}");
    }
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(restoreStorage);

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };

/** Sends the whole body, as a browser does, and reads the answer. */
function put(path: string, cookie: string, contentRange: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "PUT",
        path,
        headers: { Cookie: cookie, "Content-Range": contentRange, "Content-Length": body.length },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: JSON.parse(Buffer.concat(parts).toString() || "{}"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function startVideo(sizeBytes: number) {
  const trainer = await createUserWithRole("TRAINER");
  const { courseId, lessonId } = await createDraftCourse(trainer);
  const start = await startUpload(
    trainer,
    { purpose: "LESSON_VIDEO", courseId, lessonId, fileName: "lesson.mp4", sizeBytes },
    "x",
  );
  if (!start.ok || start.storage !== "local") throw new Error("not started");
  const token = generateSessionToken();
  await createSession(token, trainer.id);
  return { cookie: `${SESSION_COOKIE}=${token}`, url: start.url, uploadId: start.uploadId };
}

const SIZE = 8 * 1024 * 1024;

describe("the chunk endpoint always answers", () => {
  it("409 with receivedBytes for a chunk that starts past what arrived", async () => {
    const { cookie, url } = await startVideo(SIZE);
    const answer = await put(url, cookie, `bytes 4194304-${SIZE - 1}/${SIZE}`, Buffer.alloc(4 * 1024 * 1024, 1));
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({ ok: false, error: "resume from receivedBytes", receivedBytes: 0 });
  });

  it("413 for a chunk longer than its Content-Range, and keeps no byte past it", async () => {
    const { cookie, url, uploadId } = await startVideo(SIZE);
    const answer = await put(url, cookie, `bytes 0-262143/${SIZE}`, Buffer.alloc(4 * 1024 * 1024, 1));
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ ok: false });
    expect((await db.mediaUpload.findUniqueOrThrow({ where: { id: uploadId } })).receivedBytes).toBe(0);
  });

  it("507 with a refusal the page translates when the disk fills up, and the partial file is gone", async () => {
    const { cookie, url, uploadId } = await startVideo(SIZE);
    fillDiskAfter(1024 * 1024);
    const answer = await put(url, cookie, `bytes 0-${4 * 1024 * 1024 - 1}/${SIZE}`, Buffer.alloc(4 * 1024 * 1024, 1));
    expect(answer.status).toBe(507);
    expect(answer.body).toEqual({ ok: false, refusal: { code: "storageFull" } });
    expect(await db.mediaUpload.findUnique({ where: { id: uploadId } })).toBeNull();
    await expect((await import("node:fs/promises")).stat(uploadTempPath(uploadId))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it("503 with a refusal when the media folder is read-only; the upload stays to resume later", async () => {
    const { cookie, url, uploadId } = await startVideo(SIZE);
    makeMediaReadOnly();
    const answer = await put(url, cookie, `bytes 0-${4 * 1024 * 1024 - 1}/${SIZE}`, Buffer.alloc(4 * 1024 * 1024, 1));
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ ok: false, refusal: { code: "storageReadOnly" } });
    expect(await db.mediaUpload.findUniqueOrThrow({ where: { id: uploadId } })).toMatchObject({ receivedBytes: 0 });
  });
});
