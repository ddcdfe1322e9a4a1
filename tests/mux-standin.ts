// A local stand-in for the parts of Mux Video this app uses, for tests only
// (no network reaches Mux from here). It speaks the documented endpoints:
//   POST   /video/v1/uploads          create a Direct Upload (Basic auth: token id/secret)
//   GET    /video/v1/uploads/:id
//   PUT    /upload/:id                the upload URL: resumable chunks, Content-Range,
//                                    308 + Range until the last byte (as Mux's URLs do)
//   GET    /video/v1/assets/:id
//   DELETE /video/v1/assets/:id
// When an upload completes it "processes" the file (measures it with the
// app's own container probe: a stand-in has to measure somehow) and sends
// the webhooks Mux sends — video.upload.asset_created, then video.asset.ready
// or video.asset.errored — signed as Mux documents:
//   mux-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
import { createHmac, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { probeVideo } from "~/media/probe.server";

type Upload = {
  id: string;
  status: "waiting" | "asset_created" | "errored";
  corsOrigin: string;
  passthrough: string | undefined;
  file: string;
  received: number;
  total: number | null;
  assetId: string | null;
};

type Asset = {
  id: string;
  status: "preparing" | "ready" | "errored";
  uploadId: string;
  passthrough: string | undefined;
  duration?: number;
  playbackId: string;
  errors?: { type: string; messages: string[] };
};

export type StandinOptions = {
  tokenId: string;
  tokenSecret: string;
  webhookSecret: string;
  /** Where webhooks are POSTed; may be set after start. */
  webhookUrl?: string;
};

export function signWebhook(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

const id = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

export class MuxStandin {
  readonly uploads = new Map<string, Upload>();
  readonly assets = new Map<string, Asset>();
  readonly deletedAssets: string[] = [];
  readonly deliveries: { type: string; status: number }[] = [];
  webhookUrl: string | undefined;
  private server: Server | null = null;
  private dir = "";
  private pending = new Set<Promise<void>>();
  baseUrl = "";

  constructor(private readonly options: StandinOptions) {
    this.webhookUrl = options.webhookUrl;
  }

  async start(port = 0): Promise<string> {
    this.dir = await mkdtemp(path.join(tmpdir(), "mux-standin-"));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error("mux stand-in:", error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("no address");
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  async stop() {
    await this.idle();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Resolves when every webhook triggered so far has been delivered. */
  async idle() {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private cors(res: ServerResponse, origin: string | undefined) {
    res.setHeader("Access-Control-Allow-Origin", origin ?? "*");
    res.setHeader("Access-Control-Allow-Methods", "PUT, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type, Content-Range");
    res.setHeader("Access-Control-Expose-Headers", "Range");
  }

  private json(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }

  private authorised(req: IncomingMessage) {
    const expected = `Basic ${Buffer.from(`${this.options.tokenId}:${this.options.tokenSecret}`).toString("base64")}`;
    return req.headers.authorization === expected;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const upload = /^\/upload\/([a-z0-9]+)$/.exec(url.pathname);
    if (upload) return this.receive(req, res, upload[1]!);

    if (!this.authorised(req))
      return this.json(res, 401, { error: { type: "unauthorized", messages: ["Unauthorized request"] } });
    if (req.method === "POST" && url.pathname === "/video/v1/uploads") {
      const body = JSON.parse(await readBody(req)) as {
        cors_origin?: string;
        new_asset_settings?: { passthrough?: string };
      };
      const created: Upload = {
        id: id("up"),
        status: "waiting",
        corsOrigin: body.cors_origin ?? "*",
        passthrough: body.new_asset_settings?.passthrough,
        file: "",
        received: 0,
        total: null,
        assetId: null,
      };
      created.file = path.join(this.dir, created.id);
      this.uploads.set(created.id, created);
      return this.json(res, 201, { data: this.uploadJson(created) });
    }
    const uploadGet = /^\/video\/v1\/uploads\/([a-z0-9]+)$/.exec(url.pathname);
    if (req.method === "GET" && uploadGet) {
      const found = this.uploads.get(uploadGet[1]!);
      return found
        ? this.json(res, 200, { data: this.uploadJson(found) })
        : this.json(res, 404, { error: { type: "not_found" } });
    }
    const asset = /^\/video\/v1\/assets\/([a-z0-9]+)$/.exec(url.pathname);
    if (asset && req.method === "GET") {
      const found = this.assets.get(asset[1]!);
      return found
        ? this.json(res, 200, { data: this.assetJson(found) })
        : this.json(res, 404, { error: { type: "not_found" } });
    }
    if (asset && req.method === "DELETE") {
      if (!this.assets.delete(asset[1]!)) return this.json(res, 404, { error: { type: "not_found" } });
      this.deletedAssets.push(asset[1]!);
      res.writeHead(204).end();
      return;
    }
    this.json(res, 404, { error: { type: "not_found" } });
  }

  private async receive(req: IncomingMessage, res: ServerResponse, uploadId: string) {
    const found = this.uploads.get(uploadId);
    this.cors(res, found?.corsOrigin);
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    if (!found || found.status !== "waiting") return void res.writeHead(404).end();
    if (req.method !== "PUT") return void res.writeHead(405).end();
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers["content-range"] ?? "");
    if (!range) return void res.writeHead(400).end();
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (first !== found.received) {
      res.writeHead(308, found.received > 0 ? { Range: `bytes=0-${found.received - 1}` } : {}).end();
      req.resume();
      return;
    }
    found.total = total;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(found.file, { flags: first === 0 ? "w" : "a" });
      req.pipe(out);
      out.on("finish", resolve);
      out.on("error", reject);
    });
    found.received = last + 1;
    if (found.received < total) {
      res.writeHead(308, { Range: `bytes=0-${found.received - 1}` }).end();
      return;
    }
    res.writeHead(200).end();
    this.track(this.process(found));
  }

  private track(work: Promise<void>) {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async process(upload: Upload) {
    const asset: Asset = {
      id: id("as"),
      status: "preparing",
      uploadId: upload.id,
      passthrough: upload.passthrough,
      playbackId: id("pb"),
    };
    this.assets.set(asset.id, asset);
    upload.status = "asset_created";
    upload.assetId = asset.id;
    await this.send("video.upload.asset_created", this.uploadJson(upload));
    try {
      asset.duration = (await probeVideo(upload.file)).durationSeconds;
      asset.status = "ready";
      await this.send("video.asset.ready", this.assetJson(asset));
    } catch (error) {
      asset.status = "errored";
      asset.errors = {
        type: "invalid_input",
        messages: [`The input file could not be read: ${(error as Error).message}`],
      };
      await this.send("video.asset.errored", this.assetJson(asset));
    }
  }

  /** Posts a signed event; tests may also post their own with `deliver`. */
  async send(type: string, data: unknown) {
    const body = JSON.stringify({
      type,
      id: id("ev"),
      created_at: new Date().toISOString(),
      object: { type: type.split(".")[1], id: (data as { id: string }).id },
      environment: { name: "Test", id: "env" },
      data,
      attempts: [],
      accessor_source: null,
      accessor: null,
      request_id: null,
    });
    const status = await this.deliver(body, { "mux-signature": signWebhook(body, this.options.webhookSecret) });
    this.deliveries.push({ type, status });
  }

  async deliver(body: string, headers: Record<string, string>): Promise<number> {
    if (!this.webhookUrl) throw new Error("mux stand-in: no webhook URL");
    const response = await fetch(this.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  uploadJson(upload: Upload) {
    return {
      id: upload.id,
      status: upload.status,
      url: `${this.baseUrl}/upload/${upload.id}`,
      cors_origin: upload.corsOrigin,
      timeout: 3600,
      new_asset_settings: { playback_policies: ["public"], passthrough: upload.passthrough },
      ...(upload.assetId ? { asset_id: upload.assetId } : {}),
    };
  }

  assetJson(asset: Asset) {
    return {
      id: asset.id,
      status: asset.status,
      upload_id: asset.uploadId,
      passthrough: asset.passthrough,
      created_at: String(Math.floor(Date.now() / 1000)),
      playback_ids: [{ id: asset.playbackId, policy: "public" }],
      ...(asset.duration !== undefined ? { duration: asset.duration } : {}),
      ...(asset.errors ? { errors: asset.errors } : {}),
    };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// `npx tsx tests/mux-standin.ts` runs it on its own (browser tests, manual trials):
//   MUX_STANDIN_PORT, MUX_TOKEN_ID, MUX_TOKEN_SECRET, MUX_WEBHOOK_SECRET, MUX_WEBHOOK_URL
if (import.meta.url === `file://${process.argv[1]}`) {
  const standin = new MuxStandin({
    tokenId: process.env.MUX_TOKEN_ID ?? "test-token",
    tokenSecret: process.env.MUX_TOKEN_SECRET ?? "test-secret",
    webhookSecret: process.env.MUX_WEBHOOK_SECRET ?? "test-webhook-secret",
    webhookUrl: process.env.MUX_WEBHOOK_URL,
  });
  const url = await standin.start(Number(process.env.MUX_STANDIN_PORT ?? 0));
  console.log(`Mux stand-in listening on ${url}`);
}
