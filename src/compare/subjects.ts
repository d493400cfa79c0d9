/** The protocols the lab compares, in the order they are shown. */
import type { SubjectEntry } from "./subject.js";
import { fastpaxosSubject } from "./subjects/fastpaxos.js";
import { multipaxosSubject } from "./subjects/multipaxos.js";
import { paxosSubjectEntry } from "./subjects/paxos.js";
import { threepcSubject } from "./subjects/threepc.js";
import { twopcSubject } from "./subjects/twopc.js";
import { zabSubject } from "./subjects/zab.js";

export const SUBJECTS: readonly SubjectEntry[] = [twopcSubject, threepcSubject, paxosSubjectEntry, multipaxosSubject, fastpaxosSubject, zabSubject];

export const subjectNames = (): string[] => SUBJECTS.map((s) => s.name);

export const subjectNamed = (name: string): SubjectEntry | undefined => SUBJECTS.find((s) => s.name === name);
