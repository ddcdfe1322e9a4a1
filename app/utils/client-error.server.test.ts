import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { languageCookie } from "~/i18next.server";
import { errorPageHandler } from "./client-error.server";
import { logger } from "./logger.server";

// The tail of server.js: static files, the catch-all route, then the handler.
let server: http.Server;
let port = 0;
beforeAll(async () => {
  const app = express();
  app.use(express.static("public"));
  app.get("/fault", () => {
    throw new Error("a middleware fault");
  });
  app.all("*", (_req, res) => res.send("reached Remix"));
  app.use(errorPageHandler);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function get(path: string, cookie?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers: cookie ? { Cookie: cookie } : {} }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () =>
          resolve({
            status: response.statusCode!,
            type: String(response.headers["content-type"]),
            body: Buffer.concat(parts).toString(),
          }),
        );
      })
      .on("error", reject);
  });
}

describe("a malformed URL", () => {
  it("answers 400 with a short Vietnamese page and logs one warn line without a stack", async () => {
    const warn = vi.spyOn(logger, "warn");
    const error = vi.spyOn(logger, "error");
    for (const path of ["/%E0%A4%A", "/courses/%"]) {
      const answer = await get(path);
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/^text\/html/);
      expect(answer.body).toContain('<html lang="vi">');
      expect(answer.body).toContain("Yêu cầu không hợp lệ");
      expect(answer.body).not.toMatch(/URIError|at .*\.js/);
    }
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]![0]).toMatchObject({ status: 400, path: "/%E0%A4%A" });
    expect(warn.mock.calls[0]![0]).not.toHaveProperty("err");
    expect(error).not.toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
  });

  it("speaks English to a visitor who chose English", async () => {
    const answer = await get("/courses/%", (await languageCookie.serialize("en")).split(";")[0]);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<html lang="en">');
    expect(answer.body).toContain("Bad request");
  });

  it("leaves well-formed URLs alone", async () => {
    expect(await get("/courses/an-toan")).toMatchObject({ status: 200, body: "reached Remix" });
  });
});

describe("an error of ours before Remix", () => {
  it("answers 500 with the app's page in the visitor's language and logs the error with its stack", async () => {
    const error = vi.spyOn(logger, "error").mockImplementation(() => {});
    const vi500 = await get("/fault");
    expect(vi500.status).toBe(500);
    expect(vi500.body).toContain("Đã có lỗi xảy ra");
    expect(vi500.body).toContain('<a href="/">');
    expect(vi500.body).not.toMatch(/a middleware fault|at .*\.js/);
    const en500 = await get("/fault", (await languageCookie.serialize("en")).split(";")[0]);
    expect(en500.body).toContain("Something went wrong");
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]![0]).toMatchObject({ path: "/fault", err: expect.any(Error) });
    error.mockRestore();
  });
});
