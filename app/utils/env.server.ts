import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const DEFAULT_DATABASE_URL = "file:./data/tap-huan.db";

// Express's "trust proxy" setting, in the type Express reads it in: a string
// "1" would be taken as the address 0.0.0.1 and "true" as a bad address.
// Names and forms are those of proxy-addr, which Express compiles them with.
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isProxyAddress(item: string): boolean {
  if (PROXY_NAMES.has(item)) return true;
  const [address = "", range, ...rest] = item.split("/");
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  // An IPv4 netmask, e.g. 10.0.0.0/255.0.0.0: contiguous ones only.
  if (family !== 4 || isIP(range) !== 4) return false;
  const bits = range.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const inverted = ~bits >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

export type TrustProxy = boolean | number | string;

export const TrustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === "true" || value === "false") return value === "true";
    if (/^\d+$/.test(value)) return Number(value);
    const items = value.split(",").map((item) => item.trim());
    const bad = items.filter((item) => !isProxyAddress(item));
    if (bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `not a proxy setting: ${bad.map((item) => JSON.stringify(item)).join(", ")}. Use true, false, a hop count (1), addresses or subnets (10.0.0.1, 10.0.0.0/8, ::1), loopback, linklocal or uniquelocal, comma-separated`,
      });
      return z.NEVER;
    }
    return items.join(",");
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
        message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
      }),
    MEDIA_DIR: z.string().min(1).default("./data/media"),
    // Upload size limit for lesson videos, in bytes (default 1 GB).
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024),
    // Size of each upload request (default 8 MB). Keep it under a reverse
    // proxy's body limit (nginx: client_max_body_size). UpChunk needs a
    // multiple of 256 KB.
    UPLOAD_CHUNK_BYTES: z.coerce
      .number()
      .int()
      .min(256 * 1024)
      .max(512 * 1024 * 1024)
      .refine((n) => n % (256 * 1024) === 0, { message: "must be a multiple of 262144 (256 KB)" })
      .default(8 * 1024 * 1024),
    // Days an asset no lesson or course uses any more is kept before the
    // hourly media collector removes it and its file (docs/decisions/014-media-gc.md).
    MEDIA_GC_GRACE_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    // Set true only when served over HTTPS; production defaults to secure cookies.
    SECURE_COOKIES: z.enum(["true", "false"]).optional(),
    MUX_TOKEN_ID: z.string().min(1).optional(),
    MUX_TOKEN_SECRET: z.string().min(1).optional(),
    MUX_WEBHOOK_SECRET: z.string().min(1).optional(),
    // Only for tests against a local stand-in of the Mux API.
    MUX_API_BASE_URL: z.url().optional(),
    // The organisation that runs this installation: named as the issuer on
    // every certificate, its PDF and its credential.
    ISSUER_NAME: z.string().trim().min(2).max(200).default("Tập huấn"),
    // The keys that sign the certificates' credentials, as JSON (what
    // `npm run issuer-keys -- rotate` prints), for deployments without a
    // writable data folder. Unset: ISSUER_KEYS_FILE, created on first use.
    // Kept as text here: app/certificates/issuer-keys.server.ts reads it as a
    // key set, and the server checks it at start (checkIssuerKeys).
    ISSUER_KEYS: z.string().trim().min(1, { message: "is empty: unset it or give the key set" }).optional(),
    // Default: issuer-keys.json beside the SQLite database, or ./data/issuer-keys.json.
    ISSUER_KEYS_FILE: z.string().min(1).optional(),
    // Where people reach the platform: the base of every link in an email.
    PUBLIC_URL: z
      .url({ message: "must be an absolute http(s) URL, e.g. https://taphuan.example.gov.vn" })
      .refine((url) => /^https?:\/\//.test(url), { message: "must start with http:// or https://" })
      .optional(),
    // smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465.
    // Unset: emails are kept in the outbox for admins (/admin/outbox), not sent.
    SMTP_URL: z
      .url({ message: "must be smtp://[user:password@]host[:port] or smtps://…" })
      .refine((url) => /^smtps?:\/\/[^/]/.test(url), {
        message: "must be smtp://[user:password@]host[:port] or smtps://…",
      })
      .optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, {
        message: 'must be an address, or a name and an address: "Tập huấn <no-reply@example.gov.vn>"',
      })
      .default("Tập huấn <no-reply@taphuan.local>"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    // Who may set X-Forwarded-For: the client address the login throttle counts.
    TRUST_PROXY: TrustProxySchema.default(false),
    // false: this process serves requests but runs no background jobs (another does).
    JOB_RUNNER: z.enum(["true", "false"]).default("true"),
    // false: `npm start` and `npm run db:prepare` create no demo accounts or demo roster.
    SEED_DEMO: z.enum(["true", "false"]).default("true"),
  })
  .superRefine((env, ctx) => {
    if (env.ISSUER_KEYS && env.ISSUER_KEYS_FILE) {
      ctx.addIssue({ code: "custom", path: ["ISSUER_KEYS"], message: "set ISSUER_KEYS or ISSUER_KEYS_FILE, not both" });
    }
    const mux = [env.MUX_TOKEN_ID, env.MUX_TOKEN_SECRET, env.MUX_WEBHOOK_SECRET];
    if (mux.some(Boolean) && !mux.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["MUX_TOKEN_ID"],
        message: "set all of MUX_TOKEN_ID, MUX_TOKEN_SECRET and MUX_WEBHOOK_SECRET, or none",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema> & {
  databaseProvider: "sqlite" | "postgresql";
  publicUrl: string;
  mail: "smtp" | "outbox";
  runJobs: boolean;
  seedDemo: boolean;
  mediaDir: string;
  secureCookies: boolean;
  videoStorage: "local" | "mux";
  /** Where the issuer's keys are kept when ISSUER_KEYS is not set. */
  issuerKeysFile: string;
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(
    // Treat empty strings as unset, the way shells and .env files mean them.
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid environment variables:\n${details}`);
  }
  const env = result.data;
  return {
    ...env,
    databaseProvider: env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql",
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    mail: env.SMTP_URL ? "smtp" : "outbox",
    runJobs: env.JOB_RUNNER === "true",
    seedDemo: env.SEED_DEMO === "true",
    mediaDir: path.resolve(env.MEDIA_DIR),
    secureCookies: env.SECURE_COOKIES !== undefined ? env.SECURE_COOKIES === "true" : env.NODE_ENV === "production",
    videoStorage: env.MUX_TOKEN_ID ? "mux" : "local",
    issuerKeysFile: path.resolve(
      env.ISSUER_KEYS_FILE ??
        (env.DATABASE_URL.startsWith("file:")
          ? path.join(path.dirname(sqliteFilePath(env.DATABASE_URL)), "issuer-keys.json")
          : "./data/issuer-keys.json"),
    ),
  };
}

let cached: Env | undefined;

/** The validated environment, parsed once; throws with every bad field listed. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** SQLite file path from a `file:` URL, resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string): string {
  const raw = databaseUrl.replace(/^file:/, "").split("?")[0] ?? "";
  return path.resolve(raw);
}

/**
 * Prisma's convention: `?schema=name` picks a PostgreSQL schema. The pg driver
 * does not know the parameter, so it is taken off the connection string.
 */
export function splitPostgresUrl(databaseUrl: string): { connectionString: string; schema?: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}
