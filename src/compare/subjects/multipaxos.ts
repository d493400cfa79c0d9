/** Multi-Paxos in the lab: p1 elects itself at start; each command then costs phase 2 only. */
import type { CompareSubject } from "../subject.js";
import type { Pattern } from "./common.js";
import { LEARNERS, commandValueOf, paxosSubject } from "./paxos-family.js";

export const multipaxosSubject: CompareSubject = paxosSubject({
  name: "multipaxos",
  title: "Multi-Paxos",
  steps: ["phase 1 at start (PREPARE sent)", "ACCEPT sent", "value seen chosen"],
  step: (phase, cmd): Pattern =>
    phase === 1 ? { type: "campaign", node: "p1" } : { type: phase === 2 ? "propose" : "chosen", node: "p1", val: commandValueOf(cmd) },
  instancePerCommand: false,
  formula: {
    messagesText: "2n + 2L + 2",
    fsyncsText: "n",
    // REQUEST; ACCEPT, ACCEPTED per acceptor; CHOSEN, LEARNED per learner; REPLY.
    messages: (n) => 2 * n + 2 * LEARNERS + 2,
    fsyncs: (n) => n,
    // Phase 1 once: PREPARE and PROMISE per acceptor, each promise forced, plus p1's round reservation.
    setupMessages: (n) => 2 * n,
    setupFsyncs: (n) => n + 1,
  },
});
