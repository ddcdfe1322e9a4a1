import { describe, expect, it } from "vitest";
import { speakable } from "./speech";

describe("speakable", () => {
  it("says known abbreviations the Vietnamese way", () => {
    expect(speakable("Quyết định 1079/QĐ-TTg về CEDAW và MOOCs")).toBe(
      "Quyết định 1079/quy-đê tê-tê-gờ về xê-đô và mút",
    );
  });

  it("spells other capitalised abbreviations letter by letter", () => {
    expect(speakable("Công ước CRC và UNICEF")).toBe("Công ước xê e-rờ xê và u en-nờ i xê e ép");
  });

  it("reads dates, ranges and ampersands as words, and drops quotation marks", () => {
    expect(speakable("Ngày 20/11/1989, điều 1–3 & “quyền”")).toBe("Ngày 20 tháng 11 năm 1989, điều 1 đến 3 và quyền");
  });

  it("leaves ordinary words and single capitals alone", () => {
    expect(speakable("Trẻ em  Việt Nam")).toBe("Trẻ em Việt Nam");
  });
});
