/** The one line every `zksim run` ends with; CI greps it, so its words never change. */
// It lives in the report layer so that fuzz failures' reports, written below the CLI, quote it too.
export { finalLine } from "../report/final-line.js";
