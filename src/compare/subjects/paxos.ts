/** Basic Paxos in the lab: every command is a single-decree instance with both phases. */
import type { CompareSubject } from "../subject.js";
import { LEARNERS, paxosSubject } from "./paxos-family.js";

export const paxosSubjectEntry: CompareSubject = paxosSubject({
  name: "paxos",
  title: "Paxos",
  steps: ["PREPARE sent", "ACCEPT sent", "value seen chosen"],
  step: (phase, cmd) => ({ type: phase === 1 ? "prepare" : phase === 2 ? "propose" : "chosen", node: "p1", inst: cmd }),
  instancePerCommand: true,
  formula: {
    messagesText: "4n + 2L + 2",
    fsyncsText: "2n",
    // REQUEST; PREPARE, PROMISE, ACCEPT, ACCEPTED per acceptor; CHOSEN, LEARNED per learner; REPLY.
    messages: (n) => 4 * n + 2 * LEARNERS + 2,
    // Each acceptor forces its promise and its acceptance.
    fsyncs: (n) => 2 * n,
    setupMessages: () => 0,
    // p1 reserves a block of ballot rounds once.
    setupFsyncs: () => 1,
  },
});
