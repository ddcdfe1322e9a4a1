// The fastest certificate a script can get through the HTTP interface alone,
// by the best strategy we know against the watch clock
// (docs/decisions/041-watch-credit.md): open several views of every lesson
// at once, then on every lesson in parallel claim the rest of the required
// 90 % in one report; when refused as too fast, claim what the refusal's
// retryAfterSeconds says would fit now, and go again without waiting.
// Used by bench/forgery.ts and tests/e2e/forgery.spec.ts.

export type AttackLesson = { id: string; durationSeconds: number };

export type AttackResult = {
  completed: boolean;
  /** From the first request to the report that completed the course. */
  elapsedMs: number;
  requests: number;
  refusedTooFast: number;
};

const VIEWS_PER_LESSON = 4;
const REQUIRED = 0.9;

export async function forgeCertificate(options: {
  baseUrl: string;
  cookie: string;
  lessons: AttackLesson[];
  /** Give up after this long (the course is not completed). */
  deadlineMs: number;
}): Promise<AttackResult> {
  const { baseUrl, cookie, lessons } = options;
  const headers = { "content-type": "application/json", cookie };
  let requests = 0;
  let refusedTooFast = 0;
  let completedAt: number | null = null;
  const started = Date.now();
  const deadline = started + options.deadlineMs;

  const post = async (path: string, body: unknown) => {
    requests++;
    const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    return {
      status: response.status,
      body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
    };
  };

  // Views first, all at once: the clock never credits time before a view began.
  const views = await Promise.all(
    lessons.map(async (lesson) => {
      const ids: string[] = [];
      for (let i = 0; i < VIEWS_PER_LESSON; i++) {
        const answer = await post("/api/views", { lessonId: lesson.id });
        if (answer.status !== 200 || typeof answer.body?.viewId !== "string")
          throw new Error(`no view for ${lesson.id}: ${answer.status}`);
        ids.push(answer.body.viewId);
      }
      return ids;
    }),
  );

  await Promise.all(
    lessons.map(async (lesson, index) => {
      const want = Math.min(lesson.durationSeconds, REQUIRED * lesson.durationSeconds + 0.2);
      let covered = 0;
      let claim = want;
      let turn = 0;
      while (covered < want && completedAt === null && Date.now() < deadline) {
        const viewId = views[index]![turn++ % VIEWS_PER_LESSON]!;
        const end = Math.min(want, covered + claim);
        const answer = await post("/api/progress", {
          viewId,
          lessonId: lesson.id,
          intervals: [[covered, end]],
          position: end,
        });
        if (answer.status === 200) {
          covered = end;
          claim = want - covered;
          if (answer.body?.courseCompleted === true) completedAt = Date.now();
        } else if (answer.status === 422 && answer.body?.error === "too_fast") {
          refusedTooFast++;
          const wait = Number(answer.body.retryAfterSeconds ?? 1);
          // The refusal says how far ahead of the clock the claim was: claim that much less.
          claim = Math.max(0.2, Math.min(claim, want - covered) - 2 * wait);
          if (claim <= 0.2) await new Promise((resolve) => setTimeout(resolve, 50));
        } else {
          throw new Error(`progress refused: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }
    }),
  );

  return {
    completed: completedAt !== null,
    elapsedMs: (completedAt ?? Date.now()) - started,
    requests,
    refusedTooFast,
  };
}
