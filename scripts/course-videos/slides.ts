// slides.md and transcript.md: the small Markdown subset they use, split as the app splits them.
import { slideSections } from "~/catalog/slides";
import { LessonError } from "./settings";

export interface SlideItem {
  text: string;
  bullet: boolean;
}
export interface Slide {
  title: string;
  items: SlideItem[];
}

/** The sections of slides.md or transcript.md, split as the app splits them; none may be empty. */
export function splitSections(md: string, file: string): string[] {
  const sections = slideSections(md.replace(/\r\n?/g, "\n"));
  sections.forEach((s, i) => {
    if (!s) throw new LessonError(`${file}: section ${i + 1} is empty`);
  });
  return sections;
}

export function stripInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/__([^_]+)__/g, "$1")
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, "$1$2")
    .replace(/(^|[\s(])_([^_\s][^_]*)_/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim()
    .normalize("NFC");
}

export function parseSlide(section: string, where: string): Slide {
  let title = "";
  const items: SlideItem[] = [];
  for (const raw of section.split("\n")) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const heading = /^#\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (heading && !title) {
      title = stripInline(heading[1] ?? "");
    } else if (bullet) {
      items.push({ text: stripInline(bullet[1] ?? ""), bullet: true });
    } else if (/^\s+\S/.test(line) && items.length > 0) {
      const last = items[items.length - 1]!;
      last.text = `${last.text} ${stripInline(line)}`;
    } else {
      items.push({ text: stripInline(line.replace(/^#+\s*/, "")), bullet: false });
    }
  }
  if (!title) throw new LessonError(`${where}: slide has no "# Heading"`);
  return { title, items };
}

/** A transcript section as one line of plain text, headings left out. */
export function transcriptText(section: string): string {
  return stripInline(section.replace(/^#+\s.*$/gm, "").replace(/\n+/g, " "));
}
