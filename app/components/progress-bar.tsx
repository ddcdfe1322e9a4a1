/** A native progress element with a visible label; screen readers read both. */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <div className="progress">
      <progress value={value} max={max} aria-label={label} />
      <span className="progress-label">{label}</span>
    </div>
  );
}
