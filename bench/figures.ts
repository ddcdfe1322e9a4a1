// One way for every bench script to state a figure beside its aim, so that
// `npm run bench` (bench/all.ts) can gather them into one table.
// Each call prints a line; when BENCH_FIGURES names a file, it also appends the
// figure there as one JSON line.
import { appendFileSync } from "node:fs";

export type Aim = { max: number } | { min: number } | null;

export type Figure = {
  /** What was measured, e.g. "progress p99 (50 connections)". */
  name: string;
  value: number;
  unit: string;
  /** The issue's aim: at most `max`, or at least `min`; null when only reported. */
  aim: Aim;
  /** What the figure was measured on, e.g. "SQLite, 200k roster". */
  on?: string;
};

export function meets(figure: Pick<Figure, "value" | "aim">): boolean | null {
  if (!figure.aim) return null;
  return "max" in figure.aim ? figure.value <= figure.aim.max : figure.value >= figure.aim.min;
}

export function aimText(aim: Aim): string {
  if (!aim) return "—";
  return "max" in aim ? `≤ ${aim.max}` : `≥ ${aim.min}`;
}

export function figure(f: Figure): void {
  const verdict = meets(f);
  const mark = verdict === null ? " " : verdict ? "✓" : "✗";
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
  console.log(`${mark} ${f.name}${f.on ? ` [${f.on}]` : ""}: ${value} ${f.unit} (aim ${aimText(f.aim)})`);
  const file = process.env.BENCH_FIGURES;
  if (file) appendFileSync(file, JSON.stringify(f) + "\n");
}
