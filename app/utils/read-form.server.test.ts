import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { languageCookie } from "~/i18next.server";
import { FORM_MAX_BYTES, parseUrlEncoded, readForm } from "./read-form.server";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/somewhere", {
    method: "POST",
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };

async function refusal(request: Request, options?: Parameters<typeof readForm>[1]) {
  const thrown = await readForm(request, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  const response = thrown as Response;
  return { status: response.status, text: await response.text() };
}

/** A body streamed without Content-Length, as a chunked upload arrives. */
function streamed(bytes: Uint8Array, pieces = 8): ReadableStream<Uint8Array> {
  const size = Math.ceil(bytes.length / pieces);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + size));
      at += size;
    },
  });
}

function multipart(boundary: string, parts: { name: string; file?: string; value: string }[]) {
  const body = parts
    .map(
      (p) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.file ? `; filename="${p.file}"` : ""}\r\n\r\n${p.value}\r\n`,
    )
    .join("");
  return `${body}--${boundary}--\r\n`;
}

describe("reading a form", () => {
  it("reads a url-encoded form, Vietnamese and + as space included", async () => {
    const form = await readForm(post(new URLSearchParams({ name: "Nguyễn Văn A", note: "a b&c=d" })));
    expect(Object.fromEntries(form)).toEqual({ name: "Nguyễn Văn A", note: "a b&c=d" });
    expect(Object.fromEntries(parseUrlEncoded(Buffer.from("a=1+2&&b&c=%C3%A0"))!)).toEqual({ a: "1 2", b: "", c: "à" });
  });

  it("reads back whatever a browser encodes: any fields, any Unicode", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" })), { maxLength: 8 }),
        (fields) => {
          const parsed = parseUrlEncoded(Buffer.from(new URLSearchParams(fields).toString()));
          expect(parsed && [...parsed.entries()]).toEqual(fields);
        },
      ),
    );
  });

  it("a POST without a body is an empty form", async () => {
    expect([...(await readForm(post(null)))]).toEqual([]);
    expect([...(await readForm(post("", { "Content-Type": "text/plain" })))]).toEqual([]);
  });

  it.each([
    ["a percent-escape cut short", "name=%E0%A4%A"],
    ["an escape that is not UTF-8", "name=%FF"],
    ["a lone %", "name=100%"],
  ])("refuses %s with a 400 in Vietnamese", async (_name, body) => {
    const { status, text } = await refusal(post(body, urlencoded));
    expect(status).toBe(400);
    expect(text).toContain("Yêu cầu không hợp lệ");
  });

  it("refuses raw bytes that are not UTF-8", async () => {
    expect((await refusal(post(Uint8Array.from([0x61, 0x3d, 0xff, 0xfe]), urlencoded))).status).toBe(400);
  });

  it("answers in English to someone who chose English", async () => {
    const cookie = await languageCookie.serialize("en");
    const { status, text } = await refusal(post("x=%ZZ", { ...urlencoded, Cookie: cookie }));
    expect(status).toBe(400);
    expect(text).toContain("Bad request");
  });

  it.each([
    ["JSON", "application/json", '{"name":"x"}'],
    ["plain text", "text/plain", "name=x"],
    ["no Content-Type", "", "name=x"],
    ["XML", "application/xml", "<a/>"],
  ])("refuses %s where a form was expected", async (_name, type, body) => {
    const request = post(body, type ? { "Content-Type": type } : {});
    if (!type) request.headers.delete("Content-Type");
    expect((await refusal(request)).status).toBe(400);
  });

  it("refuses multipart on a route that takes no files", async () => {
    const body = multipart("b0undary", [{ name: "name", value: "x" }]);
    expect((await refusal(post(body, { "Content-Type": "multipart/form-data; boundary=b0undary" }))).status).toBe(400);
  });

  it("refuses a body over the cap, declared or streamed, with a 413", async () => {
    const big = "a=" + "x".repeat(FORM_MAX_BYTES);
    expect(await refusal(post(big, urlencoded))).toMatchObject({
      status: 413,
      text: expect.stringContaining("quá lớn"),
    });
    expect((await refusal(post(streamed(Buffer.from(big)), urlencoded))).status).toBe(413);
    expect((await refusal(post("a=123456", urlencoded), { maxBytes: 4 })).status).toBe(413);
  });
});

describe("reading a form with files", () => {
  const files = { files: { maxFileBytes: 1024 } };
  const type = { "Content-Type": "multipart/form-data; boundary=b0undary" };

  it("reads the fields and the file", async () => {
    const form = await readForm(
      post(
        multipart("b0undary", [
          { name: "intent", value: "caption" },
          { name: "file", file: "vi.vtt", value: "WEBVTT\n" },
        ]),
        type,
      ),
      files,
    );
    expect(form.get("intent")).toBe("caption");
    expect(await (form.get("file") as File).text()).toBe("WEBVTT\n");
  });

  it("still takes a url-encoded form", async () => {
    expect((await readForm(post(new URLSearchParams({ intent: "details" })), files)).get("intent")).toBe("details");
  });

  it.each([
    ["without its boundary", "--x\r\n", "multipart/form-data"],
    ["whose boundary never appears", "just some bytes\r\n", "multipart/form-data; boundary=b0undary"],
    [
      "cut off inside a part",
      '--b0undary\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc',
      "multipart/form-data; boundary=b0undary",
    ],
    [
      "with a part without a name",
      "--b0undary\r\nContent-Type: text/plain\r\n\r\nabc\r\n--b0undary--\r\n",
      "multipart/form-data; boundary=b0undary",
    ],
  ])("refuses a multipart body %s", async (_name, body, contentType) => {
    expect((await refusal(post(body, { "Content-Type": contentType }), files)).status).toBe(400);
  });

  it("refuses a file over its limit, and a body over the cap, with a 413", async () => {
    const big = multipart("b0undary", [{ name: "file", file: "vi.vtt", value: "x".repeat(2048) }]);
    expect((await refusal(post(big, type), files)).status).toBe(413);
    expect(
      (await refusal(post(streamed(Buffer.from(big)), type), { maxBytes: 1500, files: { maxFileBytes: 4096 } })).status,
    ).toBe(413);
  });
});
