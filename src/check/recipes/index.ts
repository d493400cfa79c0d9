/**
 * The recipe checkers. Each reads only its own recipe's events (and the servers' `zk-session`
 * events), so a run may feed all of them whatever recipes it placed.
 */
import type { Checker } from "../checker.js";
import { barrierChecker } from "./barrier.js";
import { configChecker } from "./config.js";
import { electionChecker, lockChecker } from "./exclusive.js";
import { membershipChecker } from "./membership.js";
import { queueChecker } from "./queue.js";

export { barrierChecker, configChecker, electionChecker, lockChecker, membershipChecker, queueChecker };

export const recipeCheckers = (): Checker[] => [lockChecker(), electionChecker(), queueChecker(), barrierChecker(), configChecker(), membershipChecker()];
