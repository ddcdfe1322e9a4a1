// The READMEs and docs/ are read by people who then open the files they name:
// every relative link and every repository path they mention must exist, and a
// decision record is headed with its own file's number (others cite it by number).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

function markdownFiles(): string[] {
  const files = ["README.md", "courses/README.md"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(".md")) files.push(relative);
    }
  };
  walk("docs");
  return files;
}

/** Links and repository paths in one Markdown file that name no existing file. */
function brokenReferences(
  file: string,
  text: string,
  exists = (p: string) => existsSync(path.join(ROOT, p)),
): string[] {
  const broken: string[] = [];
  // [text](target) and [text](target "title"); URLs with a scheme and in-page anchors are not files.
  for (const [, target = ""] of text.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) continue;
    const resolved = path.normalize(path.join(path.dirname(file), decodeURI(target.split("#")[0] ?? "")));
    if (!exists(resolved)) broken.push(`${file}: link ${target}`);
  }
  // Paths written out in prose or code spans: `app/coverage/rule.ts`, docs/decisions/…md.
  const repositoryPath =
    /(?<![\w./$-])((?:app|bench|courses|docs|prisma|public|scripts|tests)\/[\w.$/[\]-]*\.[a-z]{1,5})(?![\w/])/g;
  const prose = text.replace(/\]\([^)]*\)/g, "]()");
  for (const [, named = ""] of prose.matchAll(repositoryPath)) {
    if (!exists(named)) broken.push(`${file}: path ${named}`);
  }
  return broken;
}

describe("documentation", () => {
  it("links and names only files that exist", () => {
    const broken = markdownFiles().flatMap((file) =>
      brokenReferences(file, readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(broken).toEqual([]);
  });

  it("finds a stale link, a stale path and a stale relative link", () => {
    const none = () => false;
    expect(brokenReferences("README.md", "see [x](docs/gone.md#part)", none)).toEqual([
      "README.md: link docs/gone.md#part",
    ]);
    expect(brokenReferences("docs/a.md", "in `app/coverage/ids.ts`: …", none)).toEqual([
      "docs/a.md: path app/coverage/ids.ts",
    ]);
    const onlyReadme = (p: string) => p === "README.md";
    expect(
      brokenReferences("docs/a.md", "[up](../README.md) [web](https://x.org/a.md) [here](#top)", onlyReadme),
    ).toEqual([]);
  });

  it("heads each decision record with its file's number", () => {
    const dir = path.join(ROOT, "docs/decisions");
    const wrong = readdirSync(dir)
      .filter((name) => name.endsWith(".md"))
      .flatMap((name) => {
        const heading = readFileSync(path.join(dir, name), "utf8").split("\n", 1)[0] ?? "";
        const number = name.match(/^(\d{3})-/)?.[1];
        return number && heading.startsWith(`# ${number}`) && !/^# \d{4}/.test(heading) ? [] : [`${name}: ${heading}`];
      });
    expect(wrong).toEqual([]);
  });
});
