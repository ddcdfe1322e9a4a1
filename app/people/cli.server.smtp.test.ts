import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkIn, startTestSmtp, type TestSmtp } from "../../tests/helpers/smtp";

// The invitation from the command line, through a real SMTP server. The
// environment is read once per process, so SMTP_URL is set before any app
// module loads: they are imported after the server is up.

let smtp: TestSmtp;
let cli: typeof import("./cli.server");
let db: typeof import("~/utils/db.server").db;

beforeAll(async () => {
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
  cli = await import("./cli.server");
  db = (await import("~/utils/db.server")).db;
});
afterAll(async () => smtp?.close());

describe("npm run user -- create, with SMTP_URL", () => {
  it("emails the set-password link it prints", async () => {
    let out = "";
    let err = "";
    const code = await cli.runUserCli(
      [
        "create",
        "--email",
        "Moi@Example.vn",
        "--name",
        "Người Được Mời",
        "--role",
        "TRAINER",
        "--province",
        "Quảng Nam",
      ],
      {
        out: (text) => (out += text),
        err: (text) => (err += text),
      },
    );
    expect(code).toBe(0);
    expect(err).toContain("Invitation email sent to moi@example.vn.");
    const printed = out.match(/http:\/\/\S+\/set-password\/[a-z2-7]{32}/)?.[0];
    expect(printed).toBeDefined();

    const mail = await smtp.waitFor("moi@example.vn");
    expect(mail.subject).toContain("Tập huấn");
    expect(linkIn(mail, "/set-password/")).toBe(printed);
    const message = await db.emailMessage.findFirstOrThrow({ where: { toEmail: "moi@example.vn" } });
    expect(message).toMatchObject({ status: "SENT", template: "invite", attempts: 1 });
  });
});
