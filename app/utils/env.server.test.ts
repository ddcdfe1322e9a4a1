import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { parseEnv, splitPostgresUrl } from "./env.server";

describe("parseEnv", () => {
  it("defaults to SQLite under ./data and port 3000", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, databaseProvider: "sqlite", videoStorage: "local", secureCookies: false });
    expect(env.DATABASE_URL).toBe("file:./data/tap-huan.db");
  });
  it("recognises PostgreSQL and Mux", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u@h/db",
      MUX_TOKEN_ID: "a",
      MUX_TOKEN_SECRET: "b",
      MUX_WEBHOOK_SECRET: "c",
      NODE_ENV: "production",
    });
    expect(env).toMatchObject({ databaseProvider: "postgresql", videoStorage: "mux", secureCookies: true });
  });
  it("lists every bad variable", () => {
    expect(() => parseEnv({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(/PORT[\s\S]*DATABASE_URL/);
    expect(() => parseEnv({ MUX_TOKEN_ID: "only-one" })).toThrow(/MUX_TOKEN_ID: set all of/);
  });
  it("keeps unused media 7 days by default; a grace period must be whole days from 1 to 3650", () => {
    expect(parseEnv({}).MEDIA_GC_GRACE_DAYS).toBe(7);
    expect(parseEnv({ MEDIA_GC_GRACE_DAYS: "30" }).MEDIA_GC_GRACE_DAYS).toBe(30);
    for (const bad of ["0", "-3", "1.5", "a week", "3651"]) {
      expect(() => parseEnv({ MEDIA_GC_GRACE_DAYS: bad })).toThrow(/MEDIA_GC_GRACE_DAYS/);
    }
  });
  it("seeds the demo unless SEED_DEMO=false, and refuses any other value rather than guess", () => {
    expect(parseEnv({}).seedDemo).toBe(true);
    expect(parseEnv({ SEED_DEMO: "" }).seedDemo).toBe(true);
    expect(parseEnv({ SEED_DEMO: "true" }).seedDemo).toBe(true);
    expect(parseEnv({ SEED_DEMO: "false" }).seedDemo).toBe(false);
    for (const bad of ["0", "no", "False", "off"]) expect(() => parseEnv({ SEED_DEMO: bad })).toThrow(/SEED_DEMO/);
  });
  it("takes Prisma's ?schema= off a PostgreSQL URL", () => {
    expect(splitPostgresUrl("postgresql://u@h:5432/db?schema=t1")).toEqual({
      connectionString: "postgresql://u@h:5432/db",
      schema: "t1",
    });
  });
});

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, false],
    ["true", true],
    ["false", false],
    ["1", 1],
    ["2", 2],
    ["0", 0],
    ["loopback", "loopback"],
    ["loopback, linklocal,uniquelocal", "loopback,linklocal,uniquelocal"],
    ["10.0.0.1", "10.0.0.1"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["10.0.0.0/255.0.0.0", "10.0.0.0/255.0.0.0"],
    ["::1", "::1"],
    ["fc00::/7", "fc00::/7"],
    ["loopback, 172.16.0.0/12", "loopback,172.16.0.0/12"],
  ])("reads %j as %j", (raw, expected) => {
    expect(parseEnv({ TRUST_PROXY: raw }).TRUST_PROXY).toStrictEqual(expected);
  });

  it.each([
    "yes",
    "1.5",
    "-1",
    "10.0.0.0/33",
    "::1/129",
    "10.0.0.0/255.0.255.0",
    "10.0.0.256",
    "loopback,,",
    "proxy.example.vn",
  ])("refuses %j with a clear message", (raw) => {
    expect(() => parseEnv({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY: not a proxy setting/);
  });

  // The address the login throttle counts is Express's req.ip under this setting.
  async function clientAddresses(trustProxy: string | undefined, forwardedFor: string[]) {
    const app = express();
    app.set("trust proxy", parseEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY);
    app.get("/", (req, res) => {
      res.send(req.ip);
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const seen = [];
      for (const header of forwardedFor) {
        seen.push(await (await fetch(`http://127.0.0.1:${port}/`, { headers: { "X-Forwarded-For": header } })).text());
      }
      return seen;
    } finally {
      server.close();
    }
  }

  it("with one hop, two clients behind the proxy get two addresses", async () => {
    expect(await clientAddresses("1", ["203.0.113.7", "203.0.113.8"])).toEqual(["203.0.113.7", "203.0.113.8"]);
    // Only the hop the proxy added counts: a client cannot choose its address.
    expect(await clientAddresses("1", ["6.6.6.6, 203.0.113.9"])).toEqual(["203.0.113.9"]);
  });

  it("trusts no X-Forwarded-For when unset", async () => {
    expect(await clientAddresses(undefined, ["203.0.113.7", "203.0.113.8"])).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(await clientAddresses("loopback", ["203.0.113.7"])).toEqual(["203.0.113.7"]);
  });
});
