/** 2PC in the lab. */
import type { CompareSubject } from "../subject.js";
import type { Pattern } from "./common.js";
import { txnSubject } from "./txn.js";

export const twopcSubject: CompareSubject = txnSubject({
  name: "twopc",
  title: "2PC",
  steps: ["PREPARE sent", "votes in flight, no decision yet", "decision logged, COMMIT sent"],
  secondStep: "COMMIT",
  step: (phase, tx, n): Pattern =>
    phase === 1
      ? { type: "send", from: "coord", "msg.type": "PREPARE", "msg.tx": tx }
      : phase === 2
        ? { type: "vote", node: `p${n}`, tx }
        : { type: "decide", node: "coord", tx },
  formula: {
    messagesText: "4n",
    fsyncsText: "2n + 2",
    // PREPARE, VOTE, COMMIT, ACK per participant.
    messages: (n) => 4 * n,
    // Each participant forces `prepared` and the decision; the coordinator `start` and the decision.
    fsyncs: (n) => 2 * n + 2,
    setupMessages: () => 0,
    setupFsyncs: () => 0,
  },
});
