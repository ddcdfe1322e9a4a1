import { createHash } from "node:crypto";
import { constants, crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { readSessionTokenFromCookie, validateSessionToken } from "~/auth/session.server";
import { inlineScriptHashes, type Encoding } from "~/catalog/catalog-page.server";
import i18nextServer from "~/i18next.server";
import { EMPTY_LESSON_LEARNER, lessonLearnerJson, type LessonLearner } from "./lesson-learner";
import { getLessonForLearner, type LessonView } from "./lesson.server";

// The lesson page of an enrolled learner, kept rendered
// (docs/decisions/175-lesson-page-kept-rendered.md). Every request still goes
// through the same checks and writes as the Remix loader: the session, the
// published lesson, the enrolment, the view started now, the quiz draw. What
// they read is split in two: the lesson's content (the same for every
// learner) and the learner's own part (a few hundred bytes). The page is
// rendered through Remix once per content, language, and name and role in the
// header, without the learner's part, and kept as gzip cut where that part
// goes; each answer is the kept parts around the learner's part, compressed
// on its own. The content is read on every request and the page is kept
// under its hash, so an edit, a publish or an unpublish (whoever makes it,
// through whichever connection) changes the next page.

/** The part of the lesson page that is the same for every enrolled learner. */
export type LessonContent = Pick<LessonView, "lesson" | "course" | "previous" | "next">;

/** The page's two parts, from one `getLessonForLearner` read. */
export function lessonPageParts(
  view: LessonView,
  learnerId: string,
  certificate: { code: string } | null,
): { content: LessonContent; learner: LessonLearner } {
  const { lesson, course, previous, next, viewId, progress, quiz } = view;
  return {
    content: { lesson, course, previous, next },
    learner: {
      viewId,
      learnerId,
      progress: {
        lastPosition: progress.lastPosition,
        watchedPercent: progress.watchedPercent,
        completedAt: progress.completedAt?.toISOString() ?? null,
      },
      quiz,
      certificate: certificate ? { code: certificate.code } : null,
    },
  };
}

export type KeptLessonPage = {
  /** `'sha256-…'` sources for script-src, one per inline script of the page. */
  scriptHashes: readonly string[];
  /** Raw deflate of the page up to the learner's part, ended by a sync flush (not final). */
  head: Buffer;
  /** Raw deflate of the rest of the page, final. */
  tail: Buffer;
  headCrc: number;
  headLength: number;
  tailText: Buffer;
};

/** Renders the lesson page through the app (Remix) from the content given, without the learner's part or a nonce. */
export type RenderLessonPage = (request: Request, content: LessonContent) => Promise<Response>;

/** The learner's certificate for the course (certificates' own read, passed in: learning does not use that domain). */
export type CertificateFor = (userId: string, courseId: string) => Promise<{ code: string } | null>;

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * Set only by server.js when it renders a lesson page to keep, after its
     * own checks of the session and the enrolment: the content to show, with
     * no learner's part.
     */
    keptLesson?: LessonContent;
  }
}

export const MAX_KEPT_LESSON_PAGES = 300;

const LESSON_PATH = /^\/courses\/([a-z0-9-]{1,80})\/([a-z0-9-]{1,80})$/;

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

function keep(html: string): KeptLessonPage | null {
  const at = html.indexOf(EMPTY_LESSON_LEARNER);
  if (at < 0 || at !== html.lastIndexOf(EMPTY_LESSON_LEARNER)) return null;
  const cut = at + EMPTY_LESSON_LEARNER.indexOf("</script>");
  const head = Buffer.from(html.slice(0, cut), "utf8");
  const tailText = Buffer.from(html.slice(cut), "utf8");
  return {
    scriptHashes: inlineScriptHashes(html),
    head: deflateRawSync(head, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }),
    tail: deflateRawSync(tailText, { level: 9 }),
    headCrc: crc32(head),
    headLength: head.length,
    tailText,
  };
}

/**
 * Bytes as deflate "stored" blocks, not final (RFC 1951 §3.2.4): after the
 * head's sync flush they start on a byte boundary. The learner's part is a
 * few hundred bytes; compressing it would cost a zlib stream per request.
 */
function storedBlocks(bytes: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 0xffff) {
    const part = bytes.subarray(at, at + 0xffff);
    const header = Buffer.alloc(5); // BFINAL 0, BTYPE 00, then LEN and NLEN
    header.writeUInt16LE(part.length, 1);
    header.writeUInt16LE(~part.length & 0xffff, 3);
    blocks.push(header, part);
  }
  return Buffer.concat(blocks);
}

/**
 * A kept page with a learner's part, in a coding (br is not offered: a
 * stream of its own cannot be joined to a kept one). The gzip is one
 * member: the kept head's deflate blocks end at a byte boundary (sync flush),
 * the learner's part follows as stored blocks, then the kept tail's blocks.
 */
export function lessonPageBody(page: KeptLessonPage, learner: LessonLearner, encoding: Encoding): Buffer {
  const island = Buffer.from(lessonLearnerJson(learner), "utf8");
  if (encoding !== "gzip") {
    const head = inflateRawSync(page.head, { finishFlush: constants.Z_SYNC_FLUSH });
    return Buffer.concat([head, island, page.tailText]);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(page.tailText, crc32(island, page.headCrc)), 0);
  trailer.writeUInt32LE((page.headLength + island.length + page.tailText.length) % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, page.head, storedBlocks(island), page.tail, trailer]);
}

/** What the header shows of who asks, in which language. */
function headerKey(user: { name: string; role: string }, locale: string): string {
  return JSON.stringify([locale, user.name, user.role]);
}

export type LessonPageAnswer = { page: KeptLessonPage; learner: LessonLearner };

/**
 * The kept lesson pages. `answer` gives the page and the learner's part for
 * an enrolled learner's GET of a lesson (its view started); null for any
 * other request, which Remix answers as before (a visitor, a preview, a 404,
 * the course page for one not enrolled: no view was started for those).
 */
export function lessonPages(
  render: RenderLessonPage,
  certificateFor: CertificateFor,
  maxPages = MAX_KEPT_LESSON_PAGES,
) {
  const entries = new Map<string, KeptLessonPage>();
  const filling = new Map<string, Promise<KeptLessonPage | null>>();

  async function fill(key: string, locale: string, url: string, cookie: string, token: string, content: LessonContent) {
    const response = await render(new Request(url, { headers: { accept: "text/html", cookie } }), content);
    const html = await response.text();
    if (response.status !== 200 || response.headers.has("set-cookie")) return null;
    const page = keep(html);
    if (!page) return null;
    // A name or role changed while the page rendered: it is right for this
    // request, not for the key it was asked under.
    const user = (await validateSessionToken(token))?.user;
    if (!user || !key.startsWith(`${headerKey(user, locale)}\n`)) return page;
    entries.set(key, page);
    if (entries.size > maxPages) entries.delete(entries.keys().next().value!);
    return page;
  }

  return async function answer(request: {
    url: string;
    cookie: string | null;
    origin: string;
  }): Promise<LessonPageAnswer | null> {
    const path = LESSON_PATH.exec(request.url);
    const token = readSessionTokenFromCookie(request.cookie);
    if (!path || !token || !request.cookie) return null;
    const session = await validateSessionToken(token);
    if (!session) return null;
    const { user } = session;
    const [, courseCode, slug] = path as unknown as [string, string, string];
    // Not published, not there or not enrolled: nothing was written, Remix answers.
    const view = await getLessonForLearner(courseCode, slug, user.id);
    if (!view?.enrolled) return null;
    const certificate = await certificateFor(user.id, view.course.id);
    const { content, learner } = lessonPageParts(view, user.id, certificate);
    const url = `${request.origin}${request.url}`;
    const locale = await i18nextServer.getLocale(new Request(url, { headers: { cookie: request.cookie } }));
    const key = `${headerKey(user, locale)}\n${createHash("sha256").update(JSON.stringify(content)).digest("base64")}`;
    let page = entries.get(key);
    if (page) {
      // Most recently asked last: the first key is the one to drop.
      entries.delete(key);
      entries.set(key, page);
    } else {
      let pending = filling.get(key);
      if (!pending) {
        pending = fill(key, locale, url, request.cookie, token, content).finally(() => filling.delete(key));
        filling.set(key, pending);
      }
      page = (await pending) ?? undefined;
    }
    // A page that could not be kept: Remix answers, with a view of its own (a
    // second view earns nothing more, decision 041).
    return page ? { page, learner } : null;
  };
}
