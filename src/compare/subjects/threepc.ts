/** 3PC in the lab. */
import type { CompareSubject } from "../subject.js";
import type { Pattern } from "./common.js";
import { txnSubject } from "./txn.js";

export const threepcSubject: CompareSubject = txnSubject({
  name: "threepc",
  title: "3PC",
  steps: ["CanCommit sent", "PreCommit sent", "decision logged, DoCommit sent"],
  secondStep: "PRE_COMMIT",
  step: (phase, tx): Pattern =>
    phase === 1
      ? { type: "send", from: "coord", "msg.type": "CAN_COMMIT", "msg.tx": tx }
      : phase === 2
        ? { type: "send", from: "coord", "msg.type": "PRE_COMMIT", "msg.tx": tx }
        : { type: "decide", node: "coord", tx },
  formula: {
    messagesText: "6n",
    fsyncsText: "3n + 3",
    // CanCommit, VOTE, PreCommit, PRE_ACK, DoCommit, ACK per participant.
    messages: (n) => 6 * n,
    // Participants force `prepared`, `precommit`, the decision; the coordinator `start`, `precommit`, the decision.
    fsyncs: (n) => 3 * n + 3,
    setupMessages: () => 0,
    setupFsyncs: () => 0,
  },
});
