import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests, DEMO_PASSWORD as PASSWORD, loginThroughForm } from "./helpers";

// Coordinators on the coverage pages, against `npm start` with the demo seed
// (a national and a Hà Nội coordinator, a 600-person demo roster).

const HEAD = "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on";

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function upload(page: Page, sectionName: string, name: string, content: string, strict = false) {
  const section = page.getByRole("region", { name: sectionName });
  await section.getByLabel("Chọn tệp").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
  if (strict) await section.getByLabel(/Chế độ nghiêm ngặt/).check();
  await section.getByRole("button", { name: "Nhập tệp" }).click();
  await page.waitForURL(/\/coverage\/imports\//);
  await expect(page.getByText(/Hoàn tất|Không nhập/).first()).toBeVisible();
}

test("a national coordinator reads the dashboard as of a past date", async ({ page, login }) => {
  await login("dieuphoi@taphuan.vn");
  await page.goto("/");
  await page.getByRole("link", { name: "Độ bao phủ" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Độ bao phủ đào tạo" })).toBeVisible();
  await expect(page.getByText("Phạm vi: toàn quốc")).toBeVisible();
  const groups = page.getByRole("table", { name: /Số người, số đã đào tạo/ });
  await expect(groups.getByRole("row")).toHaveCount(5);
  await expect(groups.getByRole("rowheader", { name: /quyền con người/ })).toBeVisible();

  await page.getByLabel("Tính đến ngày").first().fill("2024-06-30");
  await page.getByRole("button", { name: "Xem" }).first().click();
  await expect(page).toHaveURL(/asOf=2024-06-30/);
  await expect(page.getByText(/Số liệu tính đến ngày 30 thg 6, 2024/)).toBeVisible();

  // The chart's numbers as a table, for screen readers and on request.
  const chartTable = page.getByRole("table", { name: /Số người đã đào tạo \(lũy kế\)/ });
  await expect(chartTable.getByRole("rowheader", { name: "2023-01" })).toBeAttached();
  await expect(chartTable.getByRole("rowheader", { name: "2024-06-30" })).toBeAttached();
  await page.getByRole("button", { name: "Hiện bảng số liệu" }).click();
  await expect(chartTable).toBeVisible();

  await page
    .getByRole("navigation", { name: "Các trang về độ bao phủ" })
    .getByRole("link", { name: "Theo tỉnh, thành" })
    .click();
  await page.getByLabel("Danh mục tỉnh").selectOption("former");
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page.getByRole("rowheader", { name: "Hà Giang" })).toBeVisible();
});

test("a date the pages cannot use is said next to the date field; the matrix names the groups; the province view lists every unit", async ({
  page,
  login,
}) => {
  await login("dieuphoi@taphuan.vn");
  const today = new Intl.DateTimeFormat("vi-VN", { dateStyle: "medium", timeZone: "Asia/Ho_Chi_Minh" }).format(
    new Date(),
  );

  await page.goto("/coverage?asOf=2024-02-30");
  const field = page.getByLabel("Tính đến ngày").first();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(
    /“2024-02-30” không phải là một ngày có thật.*Số liệu dưới đây là của hôm nay/,
  );
  await expect(page.getByText(`Số liệu tính đến ngày ${today}`)).toBeVisible();

  await page.goto("/coverage/provinces?asOf=2022-12-31");
  await expect(page.getByText(/Đề án bắt đầu từ ngày 1 thg 1, 2023/)).toBeVisible();
  await page.goto("/coverage/follow-up?asOf=2999-01-01");
  await expect(page.getByText(/Ngày 2999-01-01 chưa tới nên chưa có số liệu/)).toBeVisible();
  await expect(page.getByLabel("Tính đến ngày")).toHaveAttribute("aria-invalid", "true");
  // A good date: no error, nothing marked invalid.
  await page.goto("/coverage/agencies?asOf=2024-06-30");
  await expect(page.getByLabel("Tính đến ngày")).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".as-of-error")).toHaveCount(0);

  // Downloads refuse it with the reason, not a file of other figures.
  const refused = await page.request.get("/coverage/export?table=groups&format=csv&asOf=2024-02-30");
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("Không tải được bảng");

  await page.goto("/coverage");
  const matrix = page.getByRole("table", { name: /Tỷ lệ đã đào tạo theo nhóm và tỉnh/ });
  const header = matrix.getByRole("columnheader", { name: "Cán bộ làm công tác quyền con người" });
  await expect(header).toBeVisible();
  await expect(header).toHaveAttribute("title", "Mã nhóm: HR_WORK");
  await expect(matrix.getByRole("columnheader", { name: "HR_WORK", exact: true })).toHaveCount(0);

  await page.goto("/coverage/provinces?group=INFO_MGMT");
  const provinces = page.getByRole("table", { name: /Độ bao phủ nhóm/ });
  expect(await provinces.locator("tbody tr").count()).toBeGreaterThanOrEqual(34);
  await expect(provinces.getByRole("rowheader", { name: "Cà Mau" })).toBeVisible();
});

test("importing a roster lists bad rows, strict mode changes nothing, exports neutralise formulas", async ({
  page,
  login,
}) => {
  await login("dieuphoi@taphuan.vn");
  await page.goto("/coverage/import");
  const csv = `${HEAD}
E2E-1,=HYPERLINK("http://evil.example"),,Bộ Tư pháp,Tỉnh Hà Giang,HR_WORK,,,
E2E-2,Lưu Thị Mơ,,Bộ Tư pháp,Atlantis,HR_WORK,,,
E2E-1,Trùng,,Bộ Tư pháp,Hà Nội,HR_WORK,,,
`;
  await upload(page, "Danh sách nhân sự", "roster-e2e.csv", csv);
  await expect(page.getByText("3 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi, 2 dòng bị từ chối.")).toBeVisible();
  const rejects = page.getByRole("table", { name: /Các dòng bị từ chối/ });
  await expect(rejects.getByRole("row", { name: /3 province Atlantis Không nhận ra tỉnh/ })).toBeVisible();
  await expect(rejects.getByRole("row", { name: /4 personnel_code E2E-1 Mã nhân sự trùng với dòng 2/ })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Tải CSV — Các dòng bị từ chối/ }).click();
  const rejectsCsv = await readFile(await (await download).path(), "utf8");
  expect(rejectsCsv).toContain("Không nhận ra tỉnh, thành phố");

  await page.goto("/coverage/import");
  await upload(
    page,
    "Kết quả đào tạo",
    "workshops.csv",
    `personnel_code,course_code,completed_on,mode\nE2E-1,hoi-thao-ha-giang,2024-05-20,in_person\nKHONG-CO,hoi-thao,2024-05-20,in_person\n`,
  );
  await expect(page.getByText("2 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi, 1 dòng bị từ chối.")).toBeVisible();
  await expect(page.getByRole("row", { name: /3 personnel_code KHONG-CO Không có mã nhân sự này/ })).toBeVisible();

  await page.goto("/coverage/import");
  await upload(
    page,
    "Danh sách nhân sự",
    "strict.csv",
    `${HEAD}\nE2E-3,Ngô Văn Ba,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\nE2E-4,Sai,,Bộ Tư pháp,Hà Nội,NOPE,,,\n`,
    true,
  );
  await expect(page.getByText("Chế độ nghiêm ngặt: có 1 dòng lỗi nên không dòng nào được nhập.")).toBeVisible();
  await page.goto("/coverage/roster?q=E2E-3");
  await expect(page.getByText("Không có ai trong danh sách phù hợp.")).toBeVisible();

  // E2E-1 is trained now, so the follow-up list needs someone untrained with a formula for a name.
  await page.goto("/coverage/import");
  await upload(page, "Danh sách nhân sự", "formula.csv", `${HEAD}\nE2E-5,"@SUM(1+1)",,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n`);
  await page.goto("/coverage/follow-up?group=HR_WORK");
  const exported = page.waitForEvent("download");
  await page.getByRole("link", { name: /Tải CSV — Danh sách cần đào tạo/ }).click();
  const followUp = await readFile(await (await exported).path(), "utf8");
  expect(followUp).toContain("'@SUM(1+1)");
  expect(followUp).not.toMatch(/(^|,)"?[=@+-]/m);

  await page.goto("/coverage/roster?q=E2E-1");
  const rosterExport = page.waitForEvent("download");
  await page.getByRole("link", { name: /Tải CSV — Danh sách nhân sự/ }).click();
  const rosterCsv = await readFile(await (await rosterExport).path(), "utf8");
  expect(rosterCsv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  expect(rosterCsv).not.toMatch(/(^|,)"?=HYPERLINK/m);
});

test("a provincial coordinator sees only their province, whatever the URL says", async ({ page, browser, login }) => {
  // Find another province's people and ids as the national coordinator.
  await login("dieuphoi@taphuan.vn");
  await page.goto("/coverage");
  const daNang = await page
    .getByRole("table", { name: /Tỷ lệ đã đào tạo theo nhóm và tỉnh/ })
    .getByRole("row", { name: /^Đà Nẵng/ })
    .getByRole("link")
    .nth(1)
    .getAttribute("href");
  expect(daNang).toMatch(/province=/);
  await page.goto(daNang!);
  const someone = await page.getByRole("table").getByRole("link").first().getAttribute("href");
  expect(someone).toMatch(/^\/coverage\/roster\//);

  const hanoi = await browser.newPage();
  await hanoi.route(/^https?:\/\/(?!localhost)/, (route) => route.abort());
  await login("dieuphoi.hanoi@taphuan.vn", hanoi);
  await hanoi.goto("/coverage");
  await expect(hanoi.getByText("Phạm vi: Hà Nội")).toBeVisible();
  const matrix = hanoi.getByRole("table", { name: /Tỷ lệ đã đào tạo theo nhóm và tỉnh/ });
  await expect(matrix.getByRole("row")).toHaveCount(2);
  await expect(matrix.getByRole("rowheader", { name: "Hà Nội" })).toBeVisible();

  await hanoi.goto(daNang!);
  await expect(hanoi.getByText("Không còn ai chưa được đào tạo trong lựa chọn này.")).toBeVisible();
  const response = await hanoi.goto(someone!);
  expect(response?.status()).toBe(404);
  const exported = await hanoi.request.get(
    `${daNang!.replace("/coverage/follow-up?", "/coverage/export?table=follow-up&format=csv&")}`,
  );
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trim().split(/\r?\n/);
  expect(lines).toHaveLength(1); // the header, and nobody from Đà Nẵng
  await hanoi.close();
});

test("an admin adds a rule version; a person links their account through an invitation", async ({
  page,
  browser,
  login,
}) => {
  await login("quantri@taphuan.vn");
  await page.goto("/");
  await page.getByRole("link", { name: "Nhóm đối tượng" }).click();
  const group = page.getByRole("region", { name: /Cán bộ làm công tác quyền con người/ });
  await group.getByLabel("Loại quy tắc").selectOption("MIN_COUNT");
  await group.getByLabel("Số khóa học tối thiểu").fill("2");
  await group.getByLabel("Hiệu lực từ").fill("2026-01-01");
  await group.getByRole("button", { name: "Thêm phiên bản quy tắc" }).click();
  await expect(page.getByText("Đã thêm quy tắc mới và tính lại số liệu.")).toBeVisible();
  await expect(
    page.getByRole("region", { name: /Cán bộ làm công tác quyền con người/ }).getByText("Ít nhất 2 khóa học khác nhau"),
  ).toBeVisible();

  await page.goto("/coverage/roster?linked=no&q=DEMO-0002");
  await page.getByRole("link", { name: "DEMO-0002" }).click();
  await page.getByRole("button", { name: "Tạo đường dẫn mời" }).click();
  const link = (await page.locator(".invite-url").textContent())!;
  expect(link).toMatch(/\/invite\/[a-z0-9]+$/);
  const personPage = new URL(page.url()).pathname;

  const invited = await browser.newPage();
  await invited.route(/^https?:\/\/(?!localhost)/, (route) => route.abort());
  await invited.goto(new URL(link).pathname);
  await invited.getByRole("link", { name: "Đăng ký tài khoản" }).click();
  const email = `moi-${Date.now()}@example.vn`;
  await invited.getByLabel("Họ và tên").fill("Người Được Mời");
  await invited.getByLabel("Email").fill(email);
  await invited.getByLabel("Mật khẩu", { exact: true }).fill(PASSWORD);
  await invited.getByLabel("Nhập lại mật khẩu").fill(PASSWORD);
  await invited.getByRole("button", { name: "Đăng ký" }).click();
  await expect(invited.getByRole("heading", { name: "Kiểm tra email của anh/chị" })).toBeVisible();
  // Signed in with the password before opening the link: an unproven address may not link yet.
  await loginThroughForm(invited, email, PASSWORD);
  await invited.goto(new URL(link).pathname);
  await expect(invited.getByText(/chưa được xác nhận email/)).toBeVisible();
  await expect(invited.getByRole("button", { name: "Liên kết tài khoản của tôi" })).toHaveCount(0);

  // No SMTP in this run: the verification email waits in the admin's outbox.
  await page.goto(`/admin/outbox?q=${encodeURIComponent(email)}`);
  const mail = await page.locator(".email-text").first().textContent();
  const verify = mail!.match(/\/verify-email\/[a-z2-7]{32}(\?next=\S+)?/)![0];
  await invited.goto(verify);
  // The link leads back to the invitation.
  await expect(invited).toHaveURL(new URL(link).pathname);

  await invited.goto(new URL(link).pathname);
  await invited.getByRole("button", { name: "Liên kết tài khoản của tôi" }).click();
  await expect(invited.getByText("Tài khoản của bạn đã được liên kết.")).toBeVisible();
  await invited.close();

  await page.goto(personPage);
  await expect(page.getByText(/Đã liên kết với tài khoản moi-/)).toBeVisible();

  // A wrong link is undone with a reason; the person can be invited again.
  await page.getByLabel("Lý do gỡ liên kết").fill("Nhầm tài khoản");
  await page.getByRole("button", { name: "Gỡ liên kết tài khoản" }).click();
  await expect(page.getByText("Đã gỡ liên kết tài khoản và tính lại số liệu.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Tạo đường dẫn mời" })).toBeVisible();
});

test("a learner with a verified email confirms the roster entry that carries it", async ({ page, login }) => {
  // The demo learner is on the demo roster (DEMO-0007) but not linked: the import never links.
  await login("hocvien@taphuan.vn");
  await page.goto("/my-learning");
  const match = page.getByRole("region", { name: "Đây có phải là bạn?" });
  await expect(match.getByText(/hocvien@taphuan\.vn/)).toBeVisible();
  await match.getByRole("button", { name: "Đây là tôi" }).click();
  await expect(page.getByText(/Tài khoản của bạn đã được liên kết\./)).toBeVisible();
  await expect(page.getByRole("region", { name: "Đây có phải là bạn?" })).toHaveCount(0);
});

test("a coordinator voids a wrong training record; it stays on the person page, struck through with the reason", async ({
  page,
  login,
}) => {
  // A group whose rule no other test changes (the one above raises HR_WORK to two courses).
  await login("dieuphoi@taphuan.vn");
  await page.goto("/coverage/import");
  await upload(
    page,
    "Danh sách nhân sự",
    "void-roster.csv",
    `${HEAD}\nE2E-V1,Người Hủy Bản Ghi,,Bộ Tư pháp,Hà Nội,PRESS_EXTERNAL,,,\n`,
  );
  await page.goto("/coverage/import");
  await upload(
    page,
    "Kết quả đào tạo",
    "void-training.csv",
    `personnel_code,course_code,completed_on,mode\nE2E-V1,hoi-thao-sai,2024-05-20,in_person\n`,
  );
  await page.goto("/coverage/roster?q=E2E-V1");
  await page.getByRole("link", { name: "E2E-V1" }).click();
  const row = page.getByRole("row", { name: /hoi-thao-sai/ });
  await expect(row.getByText("Tệp void-training.csv, dòng 2")).toBeVisible();
  await expect(page.getByText("Đã đào tạo", { exact: true })).toBeVisible();

  await row.getByText("Hủy bản ghi", { exact: true }).click();
  await row.getByLabel("Lý do hủy").fill("Không tham dự hội thảo");
  await row.getByRole("button", { name: "Hủy bản ghi này" }).click();
  await expect(page.getByText("Đã hủy bản ghi.")).toBeVisible();
  await expect(row.getByText(/Đã hủy ngày .* bởi dieuphoi@taphuan\.vn: Không tham dự hội thảo/)).toBeVisible();
  await expect(row.locator("del").first()).toHaveText("hoi-thao-sai");
  await expect(page.getByText("Chưa đào tạo", { exact: true })).toBeVisible();
});
