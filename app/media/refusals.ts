import { z } from "zod";
import { parseStoredJsonOr } from "~/utils/stored-json";
import type { ProbeError, ProbeReason } from "./probe-error";

// Why a file was refused, as a code and the values its message needs. Pages
// translate `teach:refusal.<code>`; the upload API sends these as they are.

const RefusalCodeSchema = z.enum([
  "tooLarge",
  "empty",
  "sizeMismatch",
  "wrongType",
  "notVideo",
  "truncated",
  "noVideo",
  "unsupportedCodec",
  "durationMismatch",
  "tooShort",
  "tooLong",
  "pdfUnreadable",
  "muxErrored",
  "muxUnavailable",
  "storageFull",
  "storageReadOnly",
]);
export type RefusalCode = z.infer<typeof RefusalCodeSchema>;

const UploadRefusalSchema = z.object({
  code: RefusalCodeSchema,
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type UploadRefusal = z.infer<typeof UploadRefusalSchema>;

/**
 * MediaUpload.refusal. An unreadable reason reads as none: the upload's status
 * still says it was refused, the trainer just sees no reason, and uploads again.
 */
export function parseRefusal(text: string | null): UploadRefusal | null {
  return text === null ? null : parseStoredJsonOr("MediaUpload.refusal", UploadRefusalSchema, text, null);
}

export function serializeRefusal(refusal: UploadRefusal): string {
  return JSON.stringify(refusal);
}

export const PROBE_REFUSALS: Record<ProbeReason, RefusalCode> = {
  not_video: "notVideo",
  truncated: "truncated",
  no_video: "noVideo",
  unsupported_codec: "unsupportedCodec",
  inconsistent_duration: "durationMismatch",
};

/** The refusal a trainer sees for a file the probe could not use. */
export function probeRefusal(error: ProbeError): UploadRefusal {
  return { code: PROBE_REFUSALS[error.reason], values: { ...error.values, detail: error.message } };
}

/** 1 GB, 50 MB, 512 KB: limits as people read them. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Math.round(value * 10) / 10} ${units[unit]}`;
}
