/** Text and attribute escaping for the report's HTML and SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Virtual microseconds as milliseconds with three decimals, without floats: `12.345ms`. */
export function fmtUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = String(us % 1000).padStart(3, "0");
  return `${ms}.${rest}ms`;
}
