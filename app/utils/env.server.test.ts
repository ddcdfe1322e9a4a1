import { describe, expect, it } from "vitest";
import { parseEnv, splitPostgresUrl } from "./env.server";

describe("parseEnv", () => {
  it("defaults to SQLite under ./data and port 3000", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, databaseProvider: "sqlite", videoStorage: "local", secureCookies: false });
    expect(env.DATABASE_URL).toBe("file:./data/tap-huan.db");
  });
  it("recognises PostgreSQL and Mux", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u@h/db", MUX_TOKEN_ID: "a", MUX_TOKEN_SECRET: "b", MUX_WEBHOOK_SECRET: "c", NODE_ENV: "production" });
    expect(env).toMatchObject({ databaseProvider: "postgresql", videoStorage: "mux", secureCookies: true });
  });
  it("lists every bad variable", () => {
    expect(() => parseEnv({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(/PORT[\s\S]*DATABASE_URL/);
    expect(() => parseEnv({ MUX_TOKEN_ID: "only-one" })).toThrow(/MUX_TOKEN_ID: set all of/);
  });
  it("takes Prisma's ?schema= off a PostgreSQL URL", () => {
    expect(splitPostgresUrl("postgresql://u@h:5432/db?schema=t1")).toEqual({ connectionString: "postgresql://u@h:5432/db", schema: "t1" });
  });
});
