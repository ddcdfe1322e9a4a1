/**
 * A wide table's frame: on a narrow screen the table scrolls sideways inside
 * it, never the page. It is a named region that takes focus, so keyboard users
 * can scroll it too (WCAG 2.1.1), and its first column stays in place
 * (app/styles/app.css).
 */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be reachable by keyboard
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
