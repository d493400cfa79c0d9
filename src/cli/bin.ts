#!/usr/bin/env node
/** The `zksim` executable. */
import { EXIT } from "./exit.js";
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`zksim: internal error (a bug in zksim; please report it with the command you ran):\n${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT.fail;
  },
);
