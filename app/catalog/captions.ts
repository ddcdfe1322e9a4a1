import webvtt from "webvtt-parser";

const { WebVTTParser } = webvtt;

// The parser's own messages are English sentences written for developers;
// a trainer gets one of these problems instead, translated
// (teach:captions.problem.*), with the line it is on.
export const CAPTION_PROBLEMS = [
  "noSignature",
  "noBlankAfterSignature",
  "misplacedBlock",
  "identifierWithoutTime",
  "blankLineMissing",
  "badTimestamp",
  "timeOutOfRange",
  "badArrow",
  "endBeforeStart",
  "cueOutOfOrder",
  "badCueSetting",
  "badTag",
  "badEscape",
  "noCues",
  "unreadable",
] as const;
export type CaptionProblem = (typeof CAPTION_PROBLEMS)[number];

// Matched on the start of the parser's message (webvtt-parser 2.2); a message
// a later version adds falls back to "unreadable", with its line.
const PARSER_MESSAGES: [RegExp, CaptionProblem][] = [
  [/^No valid signature/, "noSignature"],
  [/^No blank line after the signature/, "noBlankAfterSignature"],
  [/^Cannot have timestamp in a (comment|style block)|^Style blocks cannot appear/, "misplacedBlock"],
  [/^Cue identifier/, "identifierWithoutTime"],
  [/^Blank line missing before cue/, "blankLineMissing"],
  [/^(You cannot have more than 59|No seconds found or minutes is greater than 59)/, "timeOutOfRange"],
  [
    /^(No timestamp found|Timestamp must start with|No time unit separator|Must be exactly two digits|No decimal separator|Milliseconds must be|Timestamp must not have trailing)/,
    "badTimestamp",
  ],
  [/^(Timestamp not separated from '-->'|No valid timestamp separator|'-->' not separated)/, "badArrow"],
  [/^End timestamp is not greater than start timestamp/, "endBeforeStart"],
  [
    /^(Start timestamp is not greater than or equal|Timestamp must be (between|greater than any previous))/,
    "cueOutOfOrder",
  ],
  [
    /^(Duplicate setting|No value for setting|Writing direction|Line position|Line alignment|Text position|Position alignment|Size|Alignment|Invalid setting)/,
    "badCueSetting",
  ],
  [
    /^(Start tags not allowed|Only <v> and <lang>|<v> |Incorrect (start|end) tag|End tags not allowed|Timestamp not allowed in chapter|Required end tag missing)/,
    "badTag",
  ],
  [/^Incorrect escape/, "badEscape"],
];

export function captionProblemOf(parserMessage: string): CaptionProblem {
  return PARSER_MESSAGES.find(([pattern]) => pattern.test(parserMessage))?.[1] ?? "unreadable";
}

export type CaptionCheck = { ok: true; cueCount: number } | { ok: false; line: number | null; problem: CaptionProblem };

/** Validates a WebVTT file with a real parser; the first error carries its line number. */
export function checkWebVtt(text: string): CaptionCheck {
  const parser = new WebVTTParser();
  const tree = parser.parse(text.replace(/^\uFEFF/, ""), "subtitles");
  const first = tree.errors[0];
  if (first) return { ok: false, line: first.line ?? null, problem: captionProblemOf(first.message) };
  if (tree.cues.length === 0) return { ok: false, line: null, problem: "noCues" };
  return { ok: true, cueCount: tree.cues.length };
}
