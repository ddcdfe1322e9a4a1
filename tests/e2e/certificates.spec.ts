import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./fixtures";
import { parse } from "yaml";
import { CourseFileSchema, LessonFileSchema } from "~/catalog/course-schema";
import { QuizSchema } from "~/learning/quiz";
import yauzl from "yauzl";
import { pdfText } from "../helpers/pdf";
import { blockOutsideRequests, passQuiz, signUp } from "./helpers";

// Issue 10, "certificates anyone can verify": a learner finishes the short
// fixture course, sees the course-complete moment, downloads the PDF; the
// test reads the PDF's text, renders its first page with pdf.js in the
// browser, decodes the QR code from the pixels with jsQR and opens the
// address it holds.

const COURSE_DIR = "tests/fixtures/e2e-courses/cat/e2e-khoa-ngan";
const COURSE = CourseFileSchema.parse(parse(readFileSync(`${COURSE_DIR}/course.yaml`, "utf8")));
const LESSONS = COURSE.lessons.map((slug) => {
  const dir = path.join(COURSE_DIR, "lessons", slug);
  const lesson = LessonFileSchema.parse(parse(readFileSync(path.join(dir, "lesson.yaml"), "utf8")));
  const quiz = lesson.quiz ? QuizSchema.parse(parse(readFileSync(path.join(dir, lesson.quiz), "utf8"))) : null;
  return { slug, title: lesson.title, quiz };
});
const NAME = "Đỗ Thị Ngọc Ánh";
// The second test exports the certificate the first one earned.
test.describe.configure({ mode: "serial" });
let earned = "";

/** The names and contents of a ZIP's files. */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

/** Plays the lesson's video to the end at 2x (the most the server credits). */
async function watch(page: Page) {
  const player = page.locator("mux-player");
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.duration)).toBeGreaterThan(0);
  await player.evaluate((el: HTMLMediaElement) => {
    el.playbackRate = 2;
    void el.play();
  });
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.ended), { timeout: 60_000 }).toBe(true);
}

/** Renders page 1 of the PDF with pdf.js on a canvas, in a page of its own, and decodes the QR code from its pixels. */
async function decodeQrInBrowser(page: Page, pdf: Buffer): Promise<string | null> {
  const viewer = await page.context().newPage();
  const files: Record<string, string> = {
    "/pdf.mjs": "node_modules/pdfjs-dist/build/pdf.min.mjs",
    "/pdf.worker.mjs": "node_modules/pdfjs-dist/build/pdf.worker.min.mjs",
    "/jsQR.js": "node_modules/jsqr/dist/jsQR.js",
  };
  // A made-up origin served from node_modules: nothing leaves the machine.
  await viewer.route("http://pdf-viewer.test/**", (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file
      ? route.fulfill({ body: readFileSync(file), contentType: "text/javascript" })
      : route.fulfill({ body: "<!doctype html><canvas id=page></canvas>", contentType: "text/html" });
  });
  await viewer.goto("http://pdf-viewer.test/");
  await viewer.addScriptTag({ url: "/jsQR.js" });
  await viewer.addScriptTag({ url: "/pdf.mjs", type: "module" });
  await viewer.waitForFunction(() => "pdfjsLib" in globalThis);
  const data = await viewer.evaluate(async (base64) => {
    type PdfJs = {
      GlobalWorkerOptions: { workerSrc: string };
      getDocument(options: { data: Uint8Array }): {
        promise: Promise<{
          getPage(n: number): Promise<{
            getViewport(o: { scale: number }): { width: number; height: number };
            render(o: object): { promise: Promise<void> };
          }>;
        }>;
      };
    };
    const w = globalThis as unknown as {
      pdfjsLib: PdfJs;
      jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
    };
    w.pdfjsLib.GlobalWorkerOptions.workerSrc = "/pdf.worker.mjs";
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const doc = await w.pdfjsLib.getDocument({ data: bytes }).promise;
    const first = await doc.getPage(1);
    const viewport = first.getViewport({ scale: 2 });
    const canvas = document.getElementById("page") as HTMLCanvasElement;
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    const context = canvas.getContext("2d")!;
    await first.render({ canvasContext: context, viewport }).promise;
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return w.jsQR(image.data, image.width, image.height)?.data ?? null;
  }, pdf.toString("base64"));
  await viewer.close();
  return data;
}

test("a learner completes a course, downloads the PDF, and its QR code opens the certificate", async ({ page }) => {
  await signUp(page, NAME, `cert-${Date.now()}@example.vn`);
  await page.goto(`/courses/${COURSE.code}`);
  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  for (const [index, lesson] of LESSONS.entries()) {
    await expect(page).toHaveURL(`/courses/${COURSE.code}/${lesson.slug}`);
    await watch(page);
    if (lesson.quiz) await passQuiz(page, lesson.quiz);
    await expect(page.getByTestId("lesson-complete")).toBeVisible();
    const next = LESSONS[index + 1];
    if (next) {
      // Not the end yet: no course-complete moment.
      await expect(page.getByTestId("course-complete")).toHaveCount(0);
      await page
        .getByRole("navigation", { name: "Bài trước và bài sau" })
        .getByRole("link", { name: next.title })
        .click();
    }
  }

  // The moment: announced, focused, with the certificate's links.
  const moment = page.getByRole("region", { name: "Hoàn thành khóa học!" });
  await expect(moment).toBeVisible();
  await expect(moment).toBeFocused();
  await expect(moment).toContainText(COURSE.title);
  const code = (await moment.getByText(/^Mã chứng nhận: /).textContent())!.replace("Mã chứng nhận: ", "").trim();
  expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  earned = code;
  await expect(moment.getByRole("link", { name: "Tải chứng chỉ số (Open Badges)" })).toHaveAttribute(
    "href",
    `/certificates/${code}.json`,
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    moment.getByRole("link", { name: "Tải chứng nhận (PDF)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`chung-nhan-${code}.pdf`);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const text = await pdfText(new Uint8Array(pdf));
  expect(text).toContain(NAME);
  expect(text).toContain(code);
  expect(text).toContain(COURSE.title);
  expect(text).toContain(`/certificates/${code}`);

  const address = await decodeQrInBrowser(page, pdf);
  expect(address).toMatch(new RegExp(`^http://localhost:\\d+/certificates/${code}$`));
  await page.goto(address!);
  const certificate = page.getByRole("article", { name: "Chứng nhận hoàn thành khóa học" });
  await expect(certificate).toContainText(NAME);
  await expect(certificate).toContainText(code);

  // My learning lists it, with the same links.
  await page.goto("/my-learning");
  const mine = page.getByRole("region", { name: "Chứng nhận của tôi" });
  await expect(mine).toContainText(code);
  await expect(mine.getByRole("link", { name: "Tải chứng nhận (PDF)" })).toHaveAttribute(
    "href",
    `/certificates/${code}.pdf`,
  );
  // The last lesson offers it too, without the moment.
  await page.goto(`/courses/${COURSE.code}/${LESSONS.at(-1)!.slug}`);
  await expect(
    page.getByRole("region", { name: "Chứng nhận của khóa học" }).getByRole("link", { name: "Tải chứng nhận (PDF)" }),
  ).toBeVisible();
  await expect(page.getByTestId("course-complete")).toHaveCount(0);
});

test("coordinators export the certificates of their scope as a ZIP of PDFs and a CSV, made by a job with progress", async ({
  page,
  browser,
  login,
}) => {
  expect(earned, "the first test earns the certificate exported here").not.toBe("");
  const course = `CAT — ${COURSE.title}`;

  // Hà Nội's coordinator: the learner is on no roster of Hà Nội, so nothing to export.
  const hanoi = await browser.newPage({ locale: "vi-VN" });
  await blockOutsideRequests(hanoi);
  await login("dieuphoi.hanoi@taphuan.vn", hanoi);
  await hanoi.goto("/coverage/certificates");
  await hanoi.getByLabel("Khóa học").selectOption({ label: course });
  await hanoi.getByRole("button", { name: "Bắt đầu xuất" }).click();
  await expect(hanoi.getByRole("alert")).toHaveText(
    "Không có chứng nhận nào khớp với lựa chọn này trong phạm vi của anh/chị.",
  );
  await hanoi.close();

  // The national coordinator gets it.
  await login("dieuphoi@taphuan.vn");
  await page.goto("/coverage");
  await page
    .getByRole("navigation", { name: "Các trang về độ bao phủ" })
    .getByRole("link", { name: "Xuất chứng nhận" })
    .click();
  await expect(page).toHaveURL("/coverage/certificates");
  await page.getByLabel("Khóa học").selectOption({ label: course });
  await page.getByRole("button", { name: "Bắt đầu xuất" }).click();
  await expect(page).toHaveURL(/\/coverage\/certificates\/[A-Za-z0-9_-]+$/);
  await expect(page.getByText("Hoàn tất", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("status").filter({ hasText: /Đã sẵn sàng: \d+ chứng nhận/ })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Tải tệp ZIP" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^chung-nhan-\d{4}-\d{2}-\d{2}-[A-Za-z0-9_-]+\.zip$/);
  const zip = await readZip((await download.path())!);
  const pdfName = [...zip.keys()].find((name) => name.endsWith(`_${earned}.pdf`));
  expect(pdfName).toMatch(new RegExp(`^${COURSE.code}/\\d{4}-\\d{2}-\\d{2}_do-thi-ngoc-anh_${earned}\\.pdf$`));
  expect(await pdfText(new Uint8Array(zip.get(pdfName!)!))).toContain(NAME);
  const csv = zip.get("certificates.csv")!.toString("utf8");
  const row = csv.split("\r\n").find((line) => line.includes(earned));
  expect(row).toContain(`${NAME},`);
  expect(row).toMatch(new RegExp(`,${earned},http://localhost:\\d+/certificates/${earned},`));
});
