import { Form, Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Localized, SentenceWithName } from "./localized-text";
import { formatClock } from "~/utils/format";
import { Transcript } from "./lesson-parts";
import { LessonStage, type StageSlides } from "./lesson-stage";
import type { playerSource } from "./lesson-player";
import type { PlayerChunks } from "./player/player-kind";

type Props = {
  lesson: {
    id: string;
    title: string;
    titleEn: string | null;
    language: string;
    durationSeconds: number;
    video: Parameters<typeof playerSource>[0];
    captions: { language: string; label: string }[];
    slides: StageSlides;
    cues: number[];
    transcript: string[];
  };
  hasQuiz: boolean;
  course: { code: string; title: string; titleEn: string | null; lessonCount: number };
  otherPreviews: { slug: string; title: string; titleEn: string | null }[];
  playerChunks?: PlayerChunks;
  /** Signed in but not enrolled: the invitation enrols in one click instead of asking to sign up. */
  signedIn: boolean;
};

/** Where the invitation sends a visitor, and brings them back to afterwards: the course page, to enrol. */
export function enrolLinks(courseCode: string) {
  const back = encodeURIComponent(`/courses/${courseCode}`);
  return { signup: `/signup?redirectTo=${back}`, login: `/login?redirectTo=${back}` };
}

/**
 * A free-preview lesson for a visitor without an account, or a signed-in
 * learner not enrolled in the course: the same stage as a learner's, no
 * progress (there is no view to report to), the knowledge check named but kept
 * for enrolled learners, and an invitation to enrol that takes the focus when
 * the video ends: sign-up and sign-in links for a visitor, the enrol button
 * (which opens this lesson in full) for a learner.
 */
export function VisitorLesson({ lesson, hasQuiz, course, otherPreviews, playerChunks, signedIn }: Props) {
  const { t, i18n } = useTranslation("learn");
  const lng = i18n.language;
  const [time, setTime] = useState(0);
  const [ended, setEnded] = useState(false);
  const invitation = useRef<HTMLElement>(null);
  useEffect(() => {
    if (ended) invitation.current?.focus();
  }, [ended]);
  const links = enrolLinks(course.code);

  return (
    <div className="page lesson-page">
      <p className="breadcrumbs">
        <Link to="/">{t("common:nav.catalog")}</Link> ›{" "}
        <Link to={`/courses/${course.code}`}>
          <Localized vi={course.title} en={course.titleEn} />
        </Link>
      </p>
      <p className="badge" data-testid="preview-badge">
        {t("preview.badge")}
      </p>
      <h1 lang={lesson.language}>{lesson.title}</h1>
      {lng === "en" && lesson.titleEn ? <p className="subtitle">{lesson.titleEn}</p> : null}
      <p className="hint">{signedIn ? t("preview.notEnrolled") : t("preview.notRecorded")}</p>

      <LessonStage
        lesson={lesson}
        cues={lesson.cues}
        currentTime={time}
        onTime={(seconds) => {
          setTime(seconds);
          if (lesson.durationSeconds > 0 && seconds >= lesson.durationSeconds - 0.5) setEnded(true);
        }}
        viewId={null}
        learnerId={null}
        startTime={0}
        playerChunks={playerChunks}
        onProgress={() => {}}
      />
      <p className="meta">
        {t("duration")}: {formatClock(lesson.durationSeconds)}
      </p>

      <section
        ref={invitation}
        tabIndex={-1}
        className="card preview-invitation"
        aria-labelledby="invitation-heading"
        data-testid="preview-invitation"
      >
        <h2 id="invitation-heading">{ended ? t("preview.endHeading") : t("preview.inviteHeading")}</h2>
        <p>
          <SentenceWithName
            ns="learn"
            i18nKey={signedIn ? "preview.enrolLead" : "preview.inviteLead"}
            vi={course.title}
            en={course.titleEn}
            values={{ count: course.lessonCount }}
          />
        </p>
        {signedIn ? (
          <Form method="post" className="invite-actions">
            <input type="hidden" name="intent" value="enrol" />
            <button type="submit" className="button">
              {t("enrol")}
            </button>
          </Form>
        ) : (
          <p className="invite-actions">
            <Link className="button" to={links.signup}>
              {t("preview.signup")}
            </Link>{" "}
            <Link to={links.login}>{t("preview.login")}</Link>
          </p>
        )}
      </section>

      {hasQuiz ? (
        <section className="quiz" aria-labelledby="quiz-heading">
          <h2 id="quiz-heading">{t("quiz.heading")}</h2>
          <p data-testid="preview-quiz">
            {t("preview.quiz")}
            {signedIn ? null : (
              <>
                {" "}
                <Link to={links.signup}>{t("preview.quizLink")}</Link>
              </>
            )}
          </p>
        </section>
      ) : null}

      <Transcript paragraphs={lesson.transcript} language={lesson.language} />

      {otherPreviews.length > 0 ? (
        <section aria-labelledby="other-previews-heading">
          <h2 id="other-previews-heading">{t("preview.others")}</h2>
          <ul>
            {otherPreviews.map((other) => (
              <li key={other.slug}>
                <Link to={`/courses/${course.code}/${other.slug}`}>
                  <Localized vi={other.title} en={other.titleEn} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
