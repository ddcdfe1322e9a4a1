import { describe, expect, it } from "vitest";
import { coverageT } from "./i18n.server";
import { describeProvenance, describeVoid, parseEvidence, type OnlineEvidence } from "./provenance";

const evidence: OnlineEvidence = {
  takenAt: "2025-03-01T18:30:00.000Z",
  viewSeconds: 455,
  lessons: [
    {
      lessonId: "l1",
      title: "Bài 1",
      titleEn: "Lesson 1",
      durationSeconds: 200,
      watchedSeconds: 190,
      watchedPercent: 95,
      viewSeconds: 205,
      quizScorePercent: null,
      quizAttempts: 0,
    },
    {
      lessonId: "l2",
      title: "Bài 2",
      titleEn: null,
      durationSeconds: 240,
      watchedSeconds: 240,
      watchedPercent: 100,
      viewSeconds: 250,
      quizScorePercent: 80,
      quizAttempts: 2,
    },
  ],
};
const date = (iso: string) => iso.slice(0, 10);

describe("the stored evidence", () => {
  it("reads back what was written, and nothing from a malformed column", () => {
    expect(parseEvidence(JSON.stringify(evidence))).toEqual(evidence);
    expect(parseEvidence(null)).toBeNull();
    expect(parseEvidence("{not json")).toBeNull();
    expect(parseEvidence(JSON.stringify({ lessons: "many" }))).toBeNull();
  });
});

describe("where a record came from, in words", () => {
  it("says it in Vietnamese first and in English", async () => {
    const vi = (await coverageT("vi")).t;
    const en = (await coverageT("en")).t;
    const online = { source: "ONLINE" as const, completionId: "c1", certificateCode: "ABCD-EFGH-IJKL-MNOP", evidence };
    expect(describeProvenance(online, vi, date, "vi")).toBe(
      "Trực tuyến, chứng nhận ABCD-EFGH-IJKL-MNOP, xem 7:35: Bài 1 (xem 95%, kiểm tra —); Bài 2 (xem 100%, kiểm tra 80%)",
    );
    expect(describeProvenance(online, en, date, "en")).toBe(
      "Online, certificate ABCD-EFGH-IJKL-MNOP, 7:35 viewed: Lesson 1 (watched 95%, check —); Bài 2 (watched 100%, check 80%)",
    );
    const imported = {
      source: "IMPORT" as const,
      importId: "i1",
      fileName: "hoi-thao.xlsx",
      row: 7,
      importedBy: null,
      importedAt: "2025-04-02T03:00:00.000Z",
    };
    expect(describeProvenance(imported, en, date)).toBe(
      "File hoi-thao.xlsx, row 7, imported by command line on 2025-04-02",
    );
    expect(describeProvenance({ ...imported, importId: null }, vi, date)).toBe(
      "Nhập từ tệp trước khi lưu nguồn chi tiết.",
    );
    expect(
      describeProvenance({ source: "MANUAL", enteredBy: "a@b.vn", reason: "Giấy chứng nhận bản cứng" }, vi, date),
    ).toBe("Nhập tay bởi a@b.vn: Giấy chứng nhận bản cứng");
    expect(describeVoid({ at: "2025-05-01T02:00:00.000Z", by: "hn@b.vn", reason: "Nhầm người" }, en, date)).toBe(
      "Voided on 2025-05-01 by hn@b.vn: Nhầm người",
    );
    expect(describeVoid(null, en, date)).toBe("");
  });
});
