import { expect, test } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// A hostile roster file through the browser, against `npm start` (the
// production build, its worker thread compiled by `npm run build`): refused
// with the translated message naming the limit and the row.

const HEAD = "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on";

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

test("a roster row with too many columns is refused, naming the row, and nothing is imported", async ({
  page,
  login,
}) => {
  await login("dieuphoi@taphuan.vn");
  await page.goto("/coverage/import");
  const wide = [
    "HOSTILE-1",
    "Lưu Thị Mơ",
    "",
    "Bộ Tư pháp",
    "Hà Nội",
    "HR_WORK",
    ...Array.from({ length: 70 }, (_, i) => `x${i}`),
  ];
  const csv = `${HEAD}\nHOSTILE-0,Trần Văn An,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n${wide.join(",")}\n`;
  const section = page.getByRole("region", { name: "Danh sách nhân sự" });
  await section
    .getByLabel("Chọn tệp")
    .setInputFiles({ name: "wide.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await section.getByRole("button", { name: "Nhập tệp" }).click();
  await page.waitForURL(/\/coverage\/imports\//);
  await expect(
    page.getByText("Dòng 3 có quá 64 cột. Không có gì được nhập. Hãy chỉ dùng các cột của tệp mẫu."),
  ).toBeVisible();
  await page.goto("/coverage/roster?q=HOSTILE");
  await expect(page.getByText("Không có ai trong danh sách phù hợp.")).toBeVisible();
});
