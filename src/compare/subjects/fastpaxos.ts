/** Fast Paxos in the lab: p1 coordinates; the client proposes straight to the acceptors. */
import type { CompareSubject } from "../subject.js";
import type { Pattern } from "./common.js";
import { LEARNERS, paxosSubject } from "./paxos-family.js";

export const fastpaxosSubject: CompareSubject = paxosSubject({
  name: "fastpaxos",
  title: "Fast Paxos",
  steps: ["phase 1 at start (PREPARE sent)", "fast votes in flight to the coordinator", "value seen chosen"],
  step: (phase, cmd): Pattern =>
    phase === 1 ? { type: "campaign", node: "p1" } : phase === 2 ? { type: "accept", node: "a1", inst: cmd } : { type: "chosen", node: "p1", inst: cmd },
  instancePerCommand: true,
  formula: {
    messagesText: "2n + 2L + 1",
    fsyncsText: "n",
    // PROPOSE and ACCEPTED per acceptor; CHOSEN, LEARNED per learner; REPLY. No request to a leader.
    messages: (n) => 2 * n + 2 * LEARNERS + 1,
    fsyncs: (n) => n,
    // Phase 1 once (PREPARE, PROMISE, forced) and "any" to every acceptor, plus p1's round reservation.
    setupMessages: (n) => 3 * n,
    setupFsyncs: (n) => n + 1,
  },
});
