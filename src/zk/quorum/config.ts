import { DEFAULT_STANDALONE, type StandaloneConfig } from "../server/standalone-server.js";

export type PeerType = "participant" | "observer";

/** One `server.N=host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]` line. */
export type QuorumServer = {
  readonly sid: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly type: PeerType;
  readonly clientPort: number;
};

/** An ensemble's zoo.cfg (`QuorumPeerConfig`): the serving settings plus the quorum's. */
export type QuorumConfig = {
  readonly serving: StandaloneConfig;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** Txns between snapshots: a snapshot after a count drawn in (snapCount/2, snapCount]. */
  readonly snapCount: number;
  readonly servers: readonly QuorumServer[];
  /** Deliberate bugs switched on (see MUTATIONS); empty for the real protocol. */
  readonly mutations: readonly Mutation[];
};

/**
 * Deliberate protocol bugs, for showing that the checkers catch them (never on by default):
 * - `commit-without-quorum`: the leader commits a proposal on its own ack;
 * - `skip-trunc`: the leader sends a DIFF where it should send TRUNC;
 * - `out-of-order-commit`: txns ready together are delivered newest-first: a learner applies the
 *   txns its sync committed in reverse at UPTODATE, the leader sends the COMMITs of a batch of
 *   quorum-acked proposals in reverse, and learners apply a COMMIT wherever its txn sits in their
 *   queue (the datatree takes txns out of zxid order);
 * - `follower-expires-sessions`: learners expire sessions too (only the leader may);
 * - `no-step-down`: a leader that lost its quorum keeps leading (and serving reads).
 */
export const MUTATIONS = ["commit-without-quorum", "skip-trunc", "out-of-order-commit", "follower-expires-sessions", "no-step-down"] as const;
export type Mutation = (typeof MUTATIONS)[number];

export type QuorumCfgError = { readonly line: number; readonly message: string };

/** The keys an ensemble's zoo.cfg may hold here; anything else is a located error. */
const KNOWN_KEYS: readonly string[] = Object.freeze([
  "tickTime",
  "initLimit",
  "syncLimit",
  "minSessionTimeout",
  "maxSessionTimeout",
  "snapCount",
  "clientPort",
  "dataDir",
  "dataLogDir",
  "peerType",
  "electionAlg",
  "maxClientCnxns",
  "autopurge.snapRetainCount",
  "autopurge.purgeInterval",
  "4lw.commands.whitelist",
  "admin.enableServer",
  "standaloneEnabled",
  "reconfigEnabled",
  "extendedTypesEnabled",
  "enforceQuota",
  "DigestAuthenticationProvider.superDigest",
]);

const INT_KEYS: readonly string[] = Object.freeze(["tickTime", "initLimit", "syncLimit", "minSessionTimeout", "maxSessionTimeout", "snapCount", "clientPort", "electionAlg", "maxClientCnxns"]);

/**
 * Parses an ensemble's zoo.cfg text. Every server line is checked as `QuorumPeerConfig` checks it
 * (ports, roles, at least one participant); unknown keys and malformed values come back with their
 * line number. Returns the config or the first error.
 */
export function parseQuorumCfg(text: string): { readonly ok: true; readonly cfg: QuorumConfig } | ({ readonly ok: false } & QuorumCfgError) {
  const fail = (line: number, message: string): { readonly ok: false } & QuorumCfgError => ({ ok: false, line, message });
  const ints = new Map<string, number>();
  const flags = new Map<string, string>();
  const servers: QuorumServer[] = [];
  const lines = text.split(/\r?\n/);
  let clientPort = DEFAULT_STANDALONE.clientPort;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) return fail(n, `expected key=value, got ${JSON.stringify(line)}`);
    const key = line.slice(0, eq).trim().replace(/^zookeeper\./, "");
    const value = line.slice(eq + 1).trim();
    const server = /^server\.(\d+)$/.exec(key);
    if (server !== null) {
      const parsed = parseServerLine(Number(server[1]), value);
      if (typeof parsed === "string") return fail(n, `${key}: ${parsed}`);
      if (servers.some((s) => s.sid === parsed.sid)) return fail(n, `${key}: server id ${parsed.sid} is listed twice`);
      servers.push(parsed);
      continue;
    }
    if (!KNOWN_KEYS.includes(key)) return fail(n, `unknown key ${JSON.stringify(key)}; expected one of server.N, ${KNOWN_KEYS.join(", ")}`);
    if (INT_KEYS.includes(key)) {
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return fail(n, `${key} must be an integer, got ${JSON.stringify(value)}`);
      ints.set(key, Number(value));
      if (key === "clientPort") clientPort = Number(value);
      continue;
    }
    flags.set(key, value);
  }
  if (servers.length === 0) return fail(0, "an ensemble needs server.N lines (at least one participant)");
  if (!servers.some((s) => s.type === "participant")) return fail(0, "no participant among the server.N lines: an ensemble of observers cannot elect");
  const tickTime = ints.get("tickTime") ?? DEFAULT_STANDALONE.tickTimeMs;
  if (tickTime <= 0) return fail(0, "tickTime must be positive");
  const initLimit = ints.get("initLimit");
  const syncLimit = ints.get("syncLimit");
  // QuorumPeerConfig: "initLimit is not set" / "syncLimit is not set" are fatal for an ensemble.
  if (initLimit === undefined || initLimit <= 0) return fail(0, "initLimit is not set (an ensemble needs initLimit > 0)");
  if (syncLimit === undefined || syncLimit <= 0) return fail(0, "syncLimit is not set (an ensemble needs syncLimit > 0)");
  const serving: StandaloneConfig = {
    ...DEFAULT_STANDALONE,
    tickTimeMs: tickTime,
    minSessionTimeoutMs: ints.get("minSessionTimeout") ?? -1,
    maxSessionTimeoutMs: ints.get("maxSessionTimeout") ?? -1,
    clientPort,
    extendedTypesEnabled: flags.get("extendedTypesEnabled") === "true",
    enforceQuota: flags.get("enforceQuota") === "true",
    superDigest: flags.get("DigestAuthenticationProvider.superDigest") ?? null,
    // As written (FourLetterCommands.isEnabled splits and trims it); unset: "*", as the oracle's servers ran.
    fourLetterWordWhitelist: flags.get("4lw.commands.whitelist") ?? DEFAULT_STANDALONE.fourLetterWordWhitelist,
  };
  const withPorts = servers.map((s) => (s.clientPort === 0 ? { ...s, clientPort } : s)).sort((a, b) => a.sid - b.sid);
  return { ok: true, cfg: { serving, initLimit, syncLimit, snapCount: ints.get("snapCount") ?? 100000, servers: withPorts, mutations: [] } };
}

function parseServerLine(sid: number, value: string): QuorumServer | string {
  if (sid <= 0 || !Number.isSafeInteger(sid)) return "the server id must be a positive integer";
  const [addr, client] = value.split(";", 2) as [string, string | undefined];
  const parts = addr.split(":");
  if (parts.length < 3 || parts.length > 4) return `expected host:quorumPort:electionPort[:participant|:observer], got ${JSON.stringify(value)}`;
  const [host, qp, ep, role] = parts as [string, string, string, string | undefined];
  const port = (p: string): number | null => (/^\d+$/.test(p) && Number(p) > 0 && Number(p) < 65536 ? Number(p) : null);
  const quorumPort = port(qp);
  const electionPort = port(ep);
  if (host === "") return "the host is empty";
  if (quorumPort === null) return `the quorum port ${JSON.stringify(qp)} is not a port number`;
  if (electionPort === null) return `the election port ${JSON.stringify(ep)} is not a port number`;
  if (role !== undefined && role !== "participant" && role !== "observer") return `the role must be participant or observer, got ${JSON.stringify(role)}`;
  let clientPort = 0;
  if (client !== undefined) {
    const cp = port(client.slice(client.lastIndexOf(":") + 1));
    if (cp === null) return `the client port in ${JSON.stringify(client)} is not a port number`;
    clientPort = cp;
  }
  return { sid, host, quorumPort, electionPort, type: role ?? "participant", clientPort };
}

/** The zoo.cfg text of a generated ensemble: participants 1..servers, then the observers. */
export function generatedZooCfg(servers: number, observers: number, extra: Readonly<Record<string, number | string>> = {}): string {
  const base: Record<string, number | string> = { tickTime: 2000, initLimit: 10, syncLimit: 5, ...extra };
  const lines = Object.entries(base).map(([k, v]) => `${k}=${v}`);
  for (let sid = 1; sid <= servers + observers; sid++) {
    const role = sid > servers ? ":observer" : "";
    lines.push(`server.${sid}=127.0.0.1:${2887 + sid}:${3887 + sid}${role};${2180 + sid}`);
  }
  return lines.join("\n") + "\n";
}

/** `QuorumMaj.containsQuorum`: more than half of the participants. */
export function isQuorum(cfg: QuorumConfig, sids: Iterable<number>): boolean {
  let voters = 0;
  for (const s of cfg.servers) if (s.type === "participant") voters++;
  const seen: number[] = [];
  for (const sid of sids) {
    if (seen.includes(sid)) continue;
    seen.push(sid);
  }
  let n = 0;
  for (const s of cfg.servers) if (s.type === "participant" && seen.includes(s.sid)) n++;
  return n * 2 > voters;
}

/** The simulator node of a server id. */
export const nodeOfSid = (sid: number): string => `s${sid}`;

export const sidOfNode = (node: string): number | undefined => {
  const m = /^s(\d+)$/.exec(node);
  return m === null ? undefined : Number(m[1]);
};
