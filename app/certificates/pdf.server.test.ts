import { beforeAll, describe, expect, it } from "vitest";
import { recordCourseCompletion } from "~/learning/course-completion.server";
import { db } from "~/utils/db.server";
import { createPublishedCourse, createLearner } from "../../tests/helpers/fixtures";
import { decodePdfQr, pdfInfo, pdfText } from "../../tests/helpers/pdf";
import { getCertificateDetails, type CertificateDetails } from "./details.server";
import { loader } from "../routes/certificates.$code[.pdf]";
import { certificateFileName, fitText, renderCertificatePdf, wrapText } from "./pdf.server";

const NAME = "Nguyễn Thị Hồng Nhung Đặng";

let details: CertificateDetails;

beforeAll(async () => {
  const course = await createPublishedCourse({ durations: [200, 245] });
  await db.course.update({
    where: { id: course.id },
    data: { title: "Quyền dân sự và chính trị: những điều cơ bản", titleEn: "Civil and political rights: the basics" },
  });
  const learner = await createLearner();
  await db.user.update({ where: { id: learner.id }, data: { name: NAME } });
  await recordCourseCompletion(learner.id, course.id, new Date("2026-11-20T03:00:00Z"));
  const { certificateCode } = await db.courseCompletion.findFirstOrThrow({
    where: { userId: learner.id },
    select: { certificateCode: true },
  });
  details = (await getCertificateDetails(certificateCode))!;
});

describe("the certificate PDF", () => {
  it("states the name with its diacritics, the course, the convention, the date, the video time, the issuer, the code and the address", async () => {
    const pdf = await renderCertificatePdf(details, "vi");
    const text = await pdfText(pdf);
    expect(text).toContain("CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC");
    expect(text).toContain(NAME);
    expect(text).toContain("Quyền dân sự và chính trị: những điều cơ bản");
    expect(text).toContain("Công ước ICCPR — Công ước quốc tế về các quyền dân sự và chính trị");
    expect(text).toContain("Ngày hoàn thành: 20 thg 11, 2026");
    expect(text).toContain("Tổng thời lượng video: 7 phút 25 giây");
    expect(text).toContain(`Mã chứng nhận: ${details.code}`);
    expect(text).toContain(details.verifyUrl);
    expect(text).toContain(`Đơn vị cấp: ${details.issuer.organisation}`);
    expect(text).not.toContain("THU HỒI");
  });

  it("holds the verification address in its QR code", async () => {
    const pdf = await renderCertificatePdf(details, "vi");
    expect(await decodePdfQr(pdf)).toBe(details.verifyUrl);
  });

  it("is one A4 landscape page whose metadata name the course, the issuer and the completion date", async () => {
    const { pages, width, height, info } = await pdfInfo(await renderCertificatePdf(details, "en"));
    expect(pages).toBe(1);
    expect([Math.round(width), Math.round(height)]).toEqual([842, 595]);
    expect(info.Title).toContain("Civil and political rights: the basics");
    expect(info.Author).toBe(details.issuer.organisation);
    expect(info.CreationDate).toMatch(/^D:20261120030000/);
  });

  it("speaks English when asked, with the English title of the course and the convention", async () => {
    const text = await pdfText(await renderCertificatePdf(details, "en"));
    expect(text).toContain("CERTIFICATE OF COMPLETION");
    expect(text).toContain(NAME);
    expect(text).toContain("Civil and political rights: the basics");
    expect(text).toContain("ICCPR — International Covenant on Civil and Political Rights");
    expect(text).toContain("Total video time: 7 min 25 s");
  });

  it("says a revoked certificate is revoked, with the date and the reason", async () => {
    await db.courseCompletion.update({
      where: { id: details.id },
      data: { revokedAt: new Date("2026-11-28T02:00:00Z"), revokedReason: "Cấp nhầm người" },
    });
    try {
      const revoked = (await getCertificateDetails(details.code))!;
      const text = await pdfText(await renderCertificatePdf(revoked, "vi"));
      expect(text).toContain("ĐÃ THU HỒI");
      expect(text).toContain("Chứng nhận này đã bị thu hồi ngày 28 thg 11, 2026. Lý do: Cấp nhầm người");
      // Still the same certificate, still checkable.
      expect(await decodePdfQr(await renderCertificatePdf(revoked, "vi"))).toBe(details.verifyUrl);
    } finally {
      await db.courseCompletion.update({ where: { id: details.id }, data: { revokedAt: null, revokedReason: null } });
    }
  });

  it("fits a very long name and title, composes decomposed Vietnamese and marks characters the font lacks", async () => {
    const long: CertificateDetails = {
      ...details,
      learner: { ...details.learner, name: "Nguyễn Thị Hồng Nhung ".repeat(6).normalize("NFD") + "王" },
      course: { ...details.course, title: "Quyền con người trong thực tiễn ".repeat(12) },
    };
    const pdf = await renderCertificatePdf(long, "vi");
    const text = await pdfText(pdf);
    expect(text).toContain("Nguyễn Thị Hồng Nhung Nguyễn");
    expect(text).toContain("…");
    expect(await decodePdfQr(pdf)).toBe(details.verifyUrl);
    const foreign = await pdfText(
      await renderCertificatePdf({ ...details, learner: { ...details.learner, name: "Lê\u0009王 Văn" } }, "vi"),
    );
    expect(foreign).toContain("Lê ? Văn");
  });
});

describe("fitting text", () => {
  const width = (s: string) => s.length * 10;
  it("wraps at words and cuts a word longer than a line", () => {
    expect(wrapText("ab cd ef", width, 50)).toEqual(["ab cd", "ef"]);
    expect(wrapText("abcdefghij", width, 40)).toEqual(["abcd", "efgh", "ij"]);
  });
  it("shrinks before wrapping, and wraps before going below 70%", () => {
    const font = { widthOfTextAtSize: (s: string, size: number) => s.length * size * 0.5 } as never;
    expect(fitText("abcdefghij", font, { maxSize: 20, minSize: 8, maxWidth: 90, maxLines: 2 })).toEqual({
      lines: ["abcdefghij"],
      size: 18,
    });
    expect(fitText("abcde fghij", font, { maxSize: 20, minSize: 8, maxWidth: 50, maxLines: 2 }).lines).toEqual([
      "abcde",
      "fghij",
    ]);
  });
});

describe("GET /certificates/<code>.pdf", () => {
  const get = (code: string, query = "") =>
    loader({
      request: new Request(`http://localhost/certificates/${code}.pdf${query}`),
      params: { code },
      context: {},
    }).catch((e: unknown) => e as Response);

  it("answers anyone holding the code with the PDF, in the learner's language unless ?lang= says otherwise", async () => {
    const response = await get(details.code);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="chung-nhan-${details.code}.pdf"`);
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    expect(await pdfText(new Uint8Array(await response.arrayBuffer()))).toContain("CHỨNG NHẬN HOÀN THÀNH KHÓA HỌC");
    const english = await get(details.code, "?lang=en");
    expect(english.headers.get("Content-Disposition")).toContain(certificateFileName(details.code, "en"));
    expect(await pdfText(new Uint8Array(await english.arrayBuffer()))).toContain("CERTIFICATE OF COMPLETION");
  });

  it("renders again when what the certificate states changes (a revocation), and not otherwise", async () => {
    const first = await (await get(details.code)).arrayBuffer();
    expect(Buffer.from(await (await get(details.code)).arrayBuffer()).equals(Buffer.from(first))).toBe(true);
    await db.courseCompletion.update({
      where: { id: details.id },
      data: { revokedAt: new Date("2026-11-29T02:00:00Z"), revokedReason: "Thu hồi thử" },
    });
    try {
      expect(await pdfText(new Uint8Array(await (await get(details.code)).arrayBuffer()))).toContain("Thu hồi thử");
    } finally {
      await db.courseCompletion.update({ where: { id: details.id }, data: { revokedAt: null, revokedReason: null } });
    }
  });

  it("is a 404 for unknown and malformed codes, a 400 for an unknown language", async () => {
    expect((await get("AAAA-BBBB-CCCC-DDDD")).status).toBe(404);
    expect((await get("../etc")).status).toBe(404);
    expect((await get(details.code.toLowerCase())).status).toBe(404);
    expect((await get(details.code, "?lang=fr")).status).toBe(400);
  });
});
