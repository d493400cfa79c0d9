/**
 * ZAB in the lab. Its ensemble (src/zk/quorum) is being finished by another change; until a subject
 * drives it, the lab lists ZAB as not available rather than show numbers it did not measure. To add
 * it, replace this export with a CompareSubject (see paxos-family.ts for one built on a scenario
 * plugin): nothing else changes.
 */
import type { UnavailableSubject } from "../subject.js";

export const zabSubject: UnavailableSubject = {
  name: "zab",
  title: "ZAB",
  available: false,
  why: "no lab subject drives the ZAB ensemble yet (src/compare/subjects/zab.ts adds it)",
};
