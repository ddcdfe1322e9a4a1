import type { Role, UploadPurpose } from "~/generated/prisma-sqlite/enums";
import type { DbClient } from "~/utils/db.server";

// Media stores and measures files; where a file goes, and who may put it
// there, belong to the courses' owner (teach). Teach passes these in when it
// runs the upload entry points and the Mux webhook, so media never imports it.

export type Uploader = { id: string; role: Role };

/** "edit" when the uploader may change the course, "forbidden" when not, null when there is no such course. */
export type CourseAccess = "edit" | "forbidden" | null;

export type FileTarget = { purpose: UploadPurpose; courseId: string; lessonId: string | null };
export type MeasuredFile = { assetId: string; durationSeconds: number | null; pageCount: number | null };

/**
 * Puts a stored file in its place, inside the transaction that stores it;
 * returns the assets it replaces (they may now be unused, for media GC).
 */
export type AttachFile = (tx: DbClient, target: FileTarget, file: MeasuredFile) => Promise<(string | null)[]>;

export type FilePlacement = {
  access(uploader: Uploader, courseId: string): Promise<CourseAccess>;
  attach: AttachFile;
};
