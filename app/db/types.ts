import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export const Role = {
    LEARNER: "LEARNER",
    TRAINER: "TRAINER",
    COORDINATOR: "COORDINATOR",
    ADMIN: "ADMIN"
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const AccountTokenKind = {
    SET_PASSWORD: "SET_PASSWORD",
    RESET_PASSWORD: "RESET_PASSWORD",
    VERIFY_EMAIL: "VERIFY_EMAIL"
} as const;
export type AccountTokenKind = (typeof AccountTokenKind)[keyof typeof AccountTokenKind];
export const ProvinceEra = {
    FORMER_63: "FORMER_63",
    CURRENT_34: "CURRENT_34"
} as const;
export type ProvinceEra = (typeof ProvinceEra)[keyof typeof ProvinceEra];
export const AgencyKind = {
    MINISTRY: "MINISTRY",
    PRESS: "PRESS",
    SOCIOPOLITICAL: "SOCIOPOLITICAL",
    PROVINCIAL: "PROVINCIAL",
    TRAINING: "TRAINING",
    OTHER: "OTHER"
} as const;
export type AgencyKind = (typeof AgencyKind)[keyof typeof AgencyKind];
export const CourseStatus = {
    DRAFT: "DRAFT",
    PUBLISHED: "PUBLISHED"
} as const;
export type CourseStatus = (typeof CourseStatus)[keyof typeof CourseStatus];
export const CourseOwnerRole = {
    OWNER: "OWNER",
    CO_OWNER: "CO_OWNER"
} as const;
export type CourseOwnerRole = (typeof CourseOwnerRole)[keyof typeof CourseOwnerRole];
export const SlidesKind = {
    NONE: "NONE",
    MARKDOWN: "MARKDOWN",
    PDF: "PDF"
} as const;
export type SlidesKind = (typeof SlidesKind)[keyof typeof SlidesKind];
export const MediaKind = {
    VIDEO: "VIDEO",
    PDF: "PDF",
    IMAGE: "IMAGE"
} as const;
export type MediaKind = (typeof MediaKind)[keyof typeof MediaKind];
export const MediaStorage = {
    LOCAL: "LOCAL",
    MUX: "MUX"
} as const;
export type MediaStorage = (typeof MediaStorage)[keyof typeof MediaStorage];
export const MediaStatus = {
    PENDING: "PENDING",
    READY: "READY",
    ERRORED: "ERRORED"
} as const;
export type MediaStatus = (typeof MediaStatus)[keyof typeof MediaStatus];
export const UploadPurpose = {
    LESSON_VIDEO: "LESSON_VIDEO",
    LESSON_SLIDES: "LESSON_SLIDES",
    COURSE_COVER: "COURSE_COVER"
} as const;
export type UploadPurpose = (typeof UploadPurpose)[keyof typeof UploadPurpose];
export const UploadStatus = {
    RECEIVING: "RECEIVING",
    PROCESSING: "PROCESSING",
    REFUSED: "REFUSED"
} as const;
export type UploadStatus = (typeof UploadStatus)[keyof typeof UploadStatus];
export const TrainingRuleKind = {
    ANY_TRAINING: "ANY_TRAINING",
    MIN_COUNT: "MIN_COUNT",
    REQUIRED_COURSES: "REQUIRED_COURSES"
} as const;
export type TrainingRuleKind = (typeof TrainingRuleKind)[keyof typeof TrainingRuleKind];
export const TrainingMode = {
    ONLINE: "ONLINE",
    IN_PERSON: "IN_PERSON",
    IMPORTED: "IMPORTED"
} as const;
export type TrainingMode = (typeof TrainingMode)[keyof typeof TrainingMode];
export const TrainingSource = {
    ONLINE: "ONLINE",
    IMPORT: "IMPORT",
    MANUAL: "MANUAL"
} as const;
export type TrainingSource = (typeof TrainingSource)[keyof typeof TrainingSource];
export const ImportKind = {
    ROSTER: "ROSTER",
    TRAINING: "TRAINING"
} as const;
export type ImportKind = (typeof ImportKind)[keyof typeof ImportKind];
export const ImportStatus = {
    RUNNING: "RUNNING",
    DONE: "DONE",
    FAILED: "FAILED"
} as const;
export type ImportStatus = (typeof ImportStatus)[keyof typeof ImportStatus];
export const JobStatus = {
    QUEUED: "QUEUED",
    RUNNING: "RUNNING",
    DONE: "DONE",
    FAILED: "FAILED"
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const EmailStatus = {
    STORED: "STORED",
    QUEUED: "QUEUED",
    SENT: "SENT",
    FAILED: "FAILED"
} as const;
export type EmailStatus = (typeof EmailStatus)[keyof typeof EmailStatus];
export type AccountToken = {
    id: string;
    kind: AccountTokenKind;
    userId: string;
    expiresAt: Date | string;
    usedAt: Date | string | null;
    createdAt: Generated<Date | string>;
};
export type Agency = {
    id: string;
    code: string;
    nameVi: string;
    nameEn: string | null;
    kind: Generated<AgencyKind>;
    provinceId: string | null;
    validTo: Date | string | null;
    successorId: string | null;
    createdAt: Generated<Date | string>;
};
export type AuditEvent = {
    id: string;
    at: Generated<Date | string>;
    actorId: string | null;
    actorEmail: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    provinceId: string | null;
    agencyId: string | null;
    details: Generated<string>;
    ip: string | null;
};
export type CatalogVersion = {
    id: Generated<number>;
    version: Generated<number>;
};
export type Convention = {
    id: string;
    code: string;
    position: number;
    nameVi: string;
    nameEn: string;
    adoptedYear: number;
    vietnamPartyYear: number;
    vietnamPartyMode: string;
};
export type ConventionLeadBody = {
    id: string;
    conventionId: string;
    agencyId: string;
    isCoLead: Generated<boolean | number>;
    validFrom: Date | string;
    validTo: Date | string | null;
    source: string | null;
};
export type Course = {
    id: string;
    code: string;
    conventionId: string;
    language: string;
    title: string;
    titleEn: string | null;
    summary: string;
    summaryEn: string | null;
    status: Generated<CourseStatus>;
    publishedAt: Date | string | null;
    coverAssetId: string | null;
    sourceHash: string | null;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
};
export type CourseCompletion = {
    id: string;
    userId: string;
    courseId: string;
    completedAt: Generated<Date | string>;
    certificateCode: string;
    statusIndex: number | null;
    revokedAt: Date | string | null;
    revokedReason: string | null;
    revokedById: string | null;
};
export type CourseOwner = {
    courseId: string;
    userId: string;
    role: Generated<CourseOwnerRole>;
    createdAt: Generated<Date | string>;
};
export type CoverageFact = {
    ruleId: string;
    membershipId: string;
    groupId: string;
    personId: string;
    provinceId: string | null;
    formerProvinceId: string | null;
    agencyId: string | null;
    joinedDay: number | null;
    leftDay: number | null;
    qualifiedDay: number | null;
    joinedMonth: number | null;
    leftMonth: number | null;
    trainedMonth: number | null;
    segment: Generated<number>;
};
export type CoverageVersion = {
    id: Generated<number>;
    version: Generated<number>;
};
export type DataImport = {
    id: string;
    kind: ImportKind;
    fileName: string;
    strict: Generated<boolean | number>;
    status: Generated<ImportStatus>;
    totalRows: Generated<number>;
    processedRows: Generated<number>;
    acceptedRows: Generated<number>;
    rejectedRows: Generated<number>;
    createdRows: Generated<number>;
    updatedRows: Generated<number>;
    unchangedRows: Generated<number>;
    rejectCount: Generated<number>;
    rejectProblems: Generated<string>;
    message: string | null;
    createdById: string | null;
    jobId: string | null;
    createdAt: Generated<Date | string>;
    finishedAt: Date | string | null;
};
export type EmailMessage = {
    id: string;
    toEmail: string;
    toName: string | null;
    locale: string;
    template: string;
    subject: string;
    text: string;
    html: string;
    status: EmailStatus;
    attempts: Generated<number>;
    lastError: string | null;
    unsubscribeToken: string | null;
    userId: string | null;
    personId: string | null;
    reminderId: string | null;
    createdAt: Generated<Date | string>;
    sentAt: Date | string | null;
};
export type EmailOptOut = {
    email: string;
    createdAt: Generated<Date | string>;
};
export type Enrolment = {
    id: string;
    userId: string;
    courseId: string;
    enrolledAt: Generated<Date | string>;
};
export type GroupMembership = {
    id: string;
    personId: string;
    groupId: string;
    joinedOn: Date | string | null;
    leftOn: Date | string | null;
};
export type ImportRejectPage = {
    importId: string;
    page: number;
    count: number;
    rejects: string;
};
export type Job = {
    id: string;
    kind: string;
    payload: Generated<string>;
    status: Generated<JobStatus>;
    runAt: Generated<Date | string>;
    attempts: Generated<number>;
    maxAttempts: Generated<number>;
    lockedBy: string | null;
    heartbeatAt: Date | string | null;
    progressDone: Generated<number>;
    progressTotal: Generated<number>;
    progressPhase: string | null;
    result: string | null;
    error: string | null;
    createdById: string | null;
    createdAt: Generated<Date | string>;
    startedAt: Date | string | null;
    finishedAt: Date | string | null;
};
export type JobRunner = {
    id: string;
    host: string;
    pid: number;
    startedAt: Generated<Date | string>;
    heartbeatAt: Date | string;
};
export type Lesson = {
    id: string;
    courseId: string;
    slug: string;
    position: number;
    title: string;
    titleEn: string | null;
    language: string;
    videoAssetId: string | null;
    durationSeconds: number | null;
    slidesKind: Generated<SlidesKind>;
    slidesMarkdown: string | null;
    slidesAssetId: string | null;
    slideCues: Generated<string>;
    transcript: string | null;
    quiz: string | null;
    passMark: number | null;
    sourceHash: string | null;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
    isPreview: Generated<boolean | number>;
};
export type LessonCaption = {
    id: string;
    lessonId: string;
    language: string;
    label: string;
    vtt: string;
};
export type LessonProgress = {
    id: string;
    userId: string;
    lessonId: string;
    watchedIntervals: Generated<string>;
    watchedSeconds: Generated<number>;
    lastPosition: Generated<number>;
    completedAt: Date | string | null;
    viewSeconds: Generated<number>;
    version: Generated<number>;
    updatedAt: Date | string;
};
export type LessonView = {
    id: string;
    userId: string;
    lessonId: string;
    startedAt: Date | string;
};
export type LoginAttempt = {
    id: Generated<number>;
    key: string;
    createdAt: Generated<Date | string>;
};
export type LoginThrottle = {
    key: string;
    failures: number;
    lastFailureAt: number;
    nextAttemptAt: number;
};
export type MediaAsset = {
    id: string;
    kind: MediaKind;
    storage: Generated<MediaStorage>;
    status: Generated<MediaStatus>;
    mimeType: string;
    sizeBytes: Generated<number>;
    sha256: string | null;
    storageKey: string | null;
    durationSeconds: number | null;
    pageCount: number | null;
    originalName: string | null;
    muxUploadId: string | null;
    muxAssetId: string | null;
    muxPlaybackId: string | null;
    errorMessage: string | null;
    createdById: string | null;
    createdAt: Generated<Date | string>;
    unusedSince: Date | string | null;
};
export type MediaUpload = {
    id: string;
    purpose: UploadPurpose;
    storage: Generated<MediaStorage>;
    status: Generated<UploadStatus>;
    courseId: string;
    lessonId: string | null;
    fileName: string;
    sizeBytes: number;
    receivedBytes: Generated<number>;
    muxUploadId: string | null;
    muxAssetId: string | null;
    refusal: string | null;
    createdById: string;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
};
export type Province = {
    id: string;
    code: string;
    era: ProvinceEra;
    nameVi: string;
    nameEn: string;
    isCity: Generated<boolean | number>;
    successorId: string | null;
};
export type QuizAttempt = {
    id: string;
    userId: string;
    lessonId: string;
    answers: string;
    draw: string | null;
    scorePercent: number;
    passed: boolean | number;
    createdAt: Generated<Date | string>;
};
export type QuizDraw = {
    userId: string;
    lessonId: string;
    draw: string;
    createdAt: Generated<Date | string>;
};
export type RosterPerson = {
    id: string;
    personnelCode: string;
    fullName: string;
    email: string | null;
    agencyId: string | null;
    agencyRaw: string;
    provinceId: string | null;
    formerProvinceId: string | null;
    provinceRaw: string;
    position: string | null;
    lastRemindedAt: Date | string | null;
    lastReminderId: string | null;
    userId: string | null;
    inviteToken: string | null;
    sourceHash: string | null;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
};
export type Session = {
    id: string;
    userId: string;
    expiresAt: Date | string;
    createdAt: Generated<Date | string>;
};
export type TargetGroup = {
    id: string;
    code: string;
    nameVi: string;
    nameEn: string;
    targetPercent: number;
    deadline: Date | string;
    position: Generated<number>;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
};
export type TargetGroupRule = {
    id: string;
    groupId: string;
    kind: Generated<TrainingRuleKind>;
    minCount: number | null;
    courseCodes: Generated<string>;
    schemeStart: Date | string;
    validFrom: Date | string;
    createdById: string | null;
    createdAt: Generated<Date | string>;
    withdrawnAt: Date | string | null;
    withdrawnById: string | null;
    withdrawnReason: string | null;
};
export type TrainingRecord = {
    id: string;
    personId: string;
    courseCode: string;
    completedOn: Date | string;
    mode: TrainingMode;
    createdAt: Generated<Date | string>;
    source: TrainingSource;
    completionId: string | null;
    evidence: string | null;
    importId: string | null;
    importRow: number | null;
    enteredById: string | null;
    entryReason: string | null;
    voidedAt: Date | string | null;
    voidedById: string | null;
    voidReason: string | null;
};
export type User = {
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    role: Generated<Role>;
    locale: Generated<string>;
    scopeProvinceId: string | null;
    scopeAgencyId: string | null;
    emailVerifiedAt: Date | string | null;
    deactivatedAt: Date | string | null;
    createdAt: Generated<Date | string>;
    updatedAt: Date | string;
};
export type WatchClock = {
    userId: string;
    cursor: Date | string;
    version: Generated<number>;
};
export type DB = {
    AccountToken: AccountToken;
    Agency: Agency;
    AuditEvent: AuditEvent;
    CatalogVersion: CatalogVersion;
    Convention: Convention;
    ConventionLeadBody: ConventionLeadBody;
    Course: Course;
    CourseCompletion: CourseCompletion;
    CourseOwner: CourseOwner;
    CoverageFact: CoverageFact;
    CoverageVersion: CoverageVersion;
    DataImport: DataImport;
    EmailMessage: EmailMessage;
    EmailOptOut: EmailOptOut;
    Enrolment: Enrolment;
    GroupMembership: GroupMembership;
    ImportRejectPage: ImportRejectPage;
    Job: Job;
    JobRunner: JobRunner;
    Lesson: Lesson;
    LessonCaption: LessonCaption;
    LessonProgress: LessonProgress;
    LessonView: LessonView;
    LoginAttempt: LoginAttempt;
    LoginThrottle: LoginThrottle;
    MediaAsset: MediaAsset;
    MediaUpload: MediaUpload;
    Province: Province;
    QuizAttempt: QuizAttempt;
    QuizDraw: QuizDraw;
    RosterPerson: RosterPerson;
    Session: Session;
    TargetGroup: TargetGroup;
    TargetGroupRule: TargetGroupRule;
    TrainingRecord: TrainingRecord;
    User: User;
    WatchClock: WatchClock;
};
