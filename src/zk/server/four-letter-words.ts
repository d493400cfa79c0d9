import type { Acl } from "../acl.js";
import { ZKCLI_FULL_VERSION } from "../cli/info-commands.js";
import type { DataTree } from "../datatree.js";
import { javaDateString } from "../java-date.js";
import { javaStringHash, longHex } from "../java-int.js";
import type { Txn, TxnHeader } from "../txn.js";
import type { ExpiryQueue } from "./expiry-queue.js";
import { ADVANCED_SUMMARY_STATS, BASIC_SUMMARY_STATS, MNTR_GAUGES, MNTR_METRICS, MNTR_SUMMARY_SETS } from "./mntr-keys.js";
import type { StandaloneConfig } from "./standalone-server.js";
import { hex } from "./wire.js";
import { javaTrim } from "../java-string.js";

/** What the four-letter words report, taken from the server at the moment the word arrives. */
export type ServerSnapshot = {
  readonly cfg: StandaloneConfig;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly tree: DataTree;
  readonly zxid: bigint;
  readonly received: number;
  readonly sent: number;
  readonly latency: { readonly min: number; readonly max: number; readonly sum: number; readonly count: number };
  readonly outstanding: number;
  /** Ms on the server's clock (the clock its expiry buckets use). */
  readonly uptimeMs: number;
  readonly logRecords: number;
  readonly conns: readonly {
    readonly port: number;
    readonly recved: number;
    readonly sent: number;
    readonly queued: number;
    readonly sessionId: bigint | null;
    readonly timeoutMs: number;
  }[];
  readonly watches: readonly { readonly paths: ReadonlySet<string>; readonly count: number }[];
  /** The data watch manager (`DataTree.dataWatches`), the only one wchs, wchc and wchp look at. */
  readonly dataWatches: DataWatchDump;
  readonly sessions: number;
  /** The session tracker as `dump` prints it; without it `dump` says it is not simulated. */
  readonly sessionTracker?: SessionTrackerDump;
  /** Set by a server of an ensemble (`QuorumPeer`); absent on a standalone server. */
  readonly quorum?: QuorumSnapshot;
  /** `ZooTrace.getTextTraceLevel()` where the server keeps one (gtmk); absent: the default mask. */
  readonly traceMask?: bigint;
  /** What the words that change the server call; a word whose action is missing says it is not simulated. */
  readonly actions?: FourLetterActions;
};

/** `WatchManager`'s tables as the watch words print them, in their iteration order (server-watches.ts). */
export type DataWatchDump = {
  /** `watch2Paths.size()`: connections that registered a watch and are still open. */
  readonly connections: number;
  /** `watchTable.size()`: paths with a watcher. */
  readonly paths: number;
  /** (connection, path) pairs. */
  readonly total: number;
  readonly byConnection: readonly (readonly [bigint, readonly string[]])[];
  readonly byPath: readonly (readonly [string, readonly bigint[]])[];
};

/** The server state crst, srst and stmk change. */
export type FourLetterActions = {
  /** `ServerStats.reset`: latencies and packet counts (not, on a leader, its proposal sizes). */
  readonly resetServerStats?: () => void;
  /** `resetAllConnectionStats`: every connection's counters. */
  readonly resetConnectionStats?: () => void;
  /** `ZooTrace.setTextTraceLevel`: a JVM-wide value, so it lasts until the process ends. */
  readonly setTraceMask?: (mask: bigint) => void;
  /** `Leader.getProposalStats().reset()`, which srst adds on a leader. */
  readonly resetProposalStats?: () => void;
};

/**
 * `SessionTracker.dumpSessions`: a tracker that expires sessions (standalone, leader:
 * `SessionTrackerImpl`, its expiry buckets) or a learner's (`LearnerSessionTracker`, the global
 * sessions it knows with their timeouts).
 */
export type SessionTrackerDump =
  | { readonly kind: "expiry"; readonly expiresAt: ReadonlyMap<bigint, number> }
  | { readonly kind: "learner"; readonly sessions: ReadonlyMap<bigint, number> };

export type QuorumRole = "leader" | "follower" | "observer";

/** One `server.N` line of the ensemble's configuration, as `conf` prints it. */
export type QuorumMember = {
  readonly sid: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly type: "participant" | "observer";
  readonly clientPort: number;
};

/** `Leader`'s figures for srvr/stat/mntr. */
export type LeaderFigures = {
  /** `getLearners().size()`: every learner connection the leader has a handler for. */
  readonly learners: number;
  /** `getForwardingFollowers().size()`: followers synced and receiving proposals. */
  readonly syncedFollowers: number;
  readonly syncedNonVotingFollowers: number;
  /** `getObservingLearners().size()`. */
  readonly syncedObservers: number;
  /** `getNumPendingSyncs()`: learners' syncs waiting for a commit, counted by the zxid they wait for. */
  readonly pendingSyncs: number;
  /** `getUptime()`: ms since the leader started serving. */
  readonly uptimeMs: number;
  /** `getProposalStats()` (BufferStats): -1 until the first proposal. */
  readonly proposalSizes: { readonly last: number; readonly min: number; readonly max: number };
  /** Sids of the learners the leader has handlers for (the keys of the learner_handler_qp summary sets). */
  readonly learnerSids: readonly number[];
};

/** What an ensemble's server adds to the snapshot. */
export type QuorumSnapshot = {
  readonly role: QuorumRole;
  /** `QuorumPeer.getDetailedPeerState`: "leading - broadcast", "following - broadcast", … */
  readonly peerState: string;
  readonly sid: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** Every `server.N` of the configuration, ascending. */
  readonly members: readonly QuorumMember[];
  /** Set on a leader. */
  readonly leader: LeaderFigures | null;
  /** Set on an observer: `Observer.getLearnerMasterId` (its leader; zksim has no observer masters). */
  readonly observerMasterId: number | null;
  /**
   * Namespaces (first path component) written since the server started, in first-write order: the
   * keys of mntr's write_per_namespace set. A quorum server always has "zookeeper" first (its
   * /zookeeper/config is written at start).
   */
  readonly writeNamespaces: readonly string[];
};

/** The words a server, standalone or in an ensemble, answers as the real one does (when the whitelist lets them). */
export const FOUR_LETTER_WORDS: readonly string[] = Object.freeze([
  "ruok",
  "srvr",
  "stat",
  "conf",
  "envi",
  "isro",
  "mntr",
  "cons",
  "wchs",
  "wchc",
  "wchp",
  "dirs",
  "dump",
  "gtmk",
  "stmk",
  "crst",
  "srst",
  "hash",
]);

/**
 * Every word `FourLetterCommands` knows (its `cmd2String`, 3.8.0), in the order it registers them:
 * `*` in the whitelist enables exactly these. "telnet close" is the telnet IAC sequence, never typed.
 */
export const KNOWN_FOUR_LETTER_WORDS: readonly string[] = Object.freeze([
  "conf",
  "cons",
  "crst",
  "dirs",
  "dump",
  "envi",
  "gtmk",
  "ruok",
  "stmk",
  "srst",
  "srvr",
  "stat",
  "wchc",
  "wchp",
  "wchs",
  "mntr",
  "isro",
  "telnet close",
  "hash",
]);


/**
 * `FourLetterCommands.isEnabled`: the whitelist split at commas, each entry trimmed, empty ones
 * skipped; an entry `*` enables every known word (and ends the scan); `srvr` is always enabled
 * (zkServer.sh needs it). Names are compared case-sensitively. (`isro` is also added when
 * `readonlymode.enabled` is true; zksim has no read-only mode.)
 */
export function enabledFourLetterWords(whitelist: string | null): ReadonlySet<string> {
  const enabled = new Set<string>();
  for (const entry of whitelist === null ? [] : whitelist.split(",")) {
    const word = javaTrim(entry);
    if (word === "*") {
      for (const known of KNOWN_FOUR_LETTER_WORDS) enabled.add(known);
      break;
    }
    if (word !== "") enabled.add(word);
  }
  enabled.add("srvr");
  return enabled;
}

/** ZooTrace's default text trace mask: CLIENT_REQUEST | SERVER_PACKET | SESSION | WARNING (`gtmk`). */
export const DEFAULT_TRACE_MASK = BigInt((1 << 1) | (1 << 4) | (1 << 5) | (1 << 8));

/** `AbstractFourLetterCommand.ZK_NOT_SERVING`. */
export const ZK_NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

/** Java's `Double.toString` for the values latency averages take. */
const javaDouble = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

const avgLatency = (s: ServerSnapshot): string => javaDouble(s.latency.count === 0 ? 0 : Math.round((s.latency.sum * 100) / s.latency.count) / 100);

/** The port of the connection that carries the four-letter word itself. */
const SELF_PORT = 47600;

/** The connection that carries the four-letter word itself, as `cons` and `stat` list it. */
const SELF_CONN = ` /127.0.0.1:${SELF_PORT}[0](queued=0,recved=1,sent=0)`;

/** `zookeeper.nio.sessionlessCnxnTimeout`: a connection without a session, and the interval of the connection buckets. */
const SESSIONLESS_CNXN_TIMEOUT_MS = 10_000;

const lines = (xs: readonly string[]): string => xs.map((x) => `${x}\n`).join("");

function connLines(s: ServerSnapshot): string[] {
  const out = s.conns.map((c) => {
    const base = ` /${s.cfg.clientIp}:${c.port}[1](queued=${c.queued},recved=${c.recved},sent=${c.sent}`;
    return c.sessionId === null ? `${base})` : `${base},sid=${hex(c.sessionId)},lop=NA,est=${s.cfg.epochMs},to=${c.timeoutMs})`;
  });
  return [...out, SELF_CONN];
}

/** `ServerStats.toString` and `StatCommand`'s node count, plus a leader's proposal sizes. */
function serverLines(s: ServerSnapshot): string[] {
  const l = s.latency;
  const out = [
    `Latency min/avg/max: ${l.min}/${avgLatency(s)}/${l.max}`,
    `Received: ${s.received}`,
    `Sent: ${s.sent}`,
    `Connections: ${s.conns.length + 1}`,
    `Outstanding: ${s.outstanding}`,
    `Zxid: ${hex(s.zxid)}`,
    `Mode: ${s.quorum?.role ?? "standalone"}`,
    `Node count: ${s.tree.nodeCount}`,
  ];
  const leader = s.quorum?.leader;
  if (leader != null) {
    const p = leader.proposalSizes;
    out.push(`Proposal sizes last/min/max: ${p.last}/${p.min}/${p.max}`);
  }
  return out;
}

/**
 * Bucket order of a small `ConcurrentHashMap` (16 buckets, doubling once 3/4 full): keys by
 * `spread(hash) & (n - 1)`, keys sharing a bucket in insertion order. (A resize splits buckets and
 * may reorder keys that collide; the sets this orders are a handful of keys.)
 */
function javaHashOrder<K>(keys: readonly K[], hash: (k: K) => number): K[] {
  let n = 16;
  while (keys.length >= (n * 3) / 4) n *= 2;
  const bucket = (k: K): number => {
    const h = hash(k);
    return (h ^ (h >>> 16)) & (n - 1);
  };
  return keys.map((k, i) => ({ k, i, b: bucket(k) })).sort((x, y) => x.b - y.b || x.i - y.i).map((e) => e.k);
}

/** `Long.hashCode`. */
const javaLongHash = (v: bigint): number => Number(BigInt.asIntN(32, BigInt.asUintN(64, v) ^ (BigInt.asUintN(64, v) >> 32n)));

function mntr(s: ServerSnapshot): string {
  const q = s.quorum;
  const watchCount = s.watches.reduce((n, w) => n + w.count, 0);
  const known: Record<string, string> = {
    zk_ephemerals_count: String(s.tree.ephemeralCount),
    zk_num_alive_connections: String(s.conns.length + 1),
    zk_avg_latency: avgLatency(s),
    zk_outstanding_requests: String(s.outstanding),
    zk_znode_count: String(s.tree.nodeCount),
    zk_global_sessions: String(s.sessions),
    zk_packets_sent: String(s.sent),
    zk_packets_received: String(s.received),
    zk_watch_count: String(watchCount),
    zk_min_latency: String(s.latency.min),
    zk_max_latency: String(s.latency.max),
    zk_max_file_descriptor_count: "20000",
    zk_open_file_descriptor_count: String(38 + s.conns.length),
    zk_uptime: String(s.uptimeMs),
  };
  const first: [string, string][] = [
    ["zk_version", ZKCLI_FULL_VERSION],
    ["zk_server_state", q?.role ?? "standalone"],
  ];
  if (q !== undefined) {
    known["zk_quorum_size"] = String(q.members.filter((m) => m.type === "participant").length);
    first.push(["zk_peer_state", q.peerState]);
    if (q.observerMasterId !== null) first.push(["zk_observer_master_id", String(q.observerMasterId)]);
  }
  const leader = q?.leader ?? null;
  if (leader !== null) {
    Object.assign(known, {
      zk_learners: String(leader.learners),
      zk_synced_followers: String(leader.syncedFollowers),
      zk_synced_non_voting_followers: String(leader.syncedNonVotingFollowers),
      zk_synced_observers: String(leader.syncedObservers),
      zk_pending_syncs: String(leader.pendingSyncs),
      zk_leader_uptime: String(leader.uptimeMs),
      zk_last_proposal_size: String(leader.proposalSizes.last),
      zk_min_proposal_size: String(leader.proposalSizes.min),
      zk_max_proposal_size: String(leader.proposalSizes.max),
    });
  }
  const printed = (roles: string): boolean => roles === "any" || (roles === "quorum" && q !== undefined) || (roles === "leader" && leader !== null);
  const gauges = MNTR_GAUGES.filter(([, , roles]) => printed(roles)).map(([k, d]): [string, string] => [k, known[k] ?? d]);
  // A standalone snapshot carries no write history: it prints the namespace the recordings wrote (/a).
  const namespaces = q === undefined ? ["a"] : javaHashOrder(q.writeNamespaces, javaStringHash);
  const learners = javaHashOrder((leader?.learnerSids ?? []).map(String), javaStringHash);
  const sets: [string, string][] = [];
  for (const [set, keys, advanced] of MNTR_SUMMARY_SETS) {
    for (const key of keys === "learners" ? learners : namespaces) {
      for (const stat of advanced ? ADVANCED_SUMMARY_STATS : BASIC_SUMMARY_STATS) sets.push([`zk_${stat}_${key}_${set}`, stat === "avg" ? "0.0" : "0"]);
    }
  }
  return [...first, ...gauges, ...MNTR_METRICS, ...sets].map(([k, v]) => `${k}\t${v}\n`).join("");
}

/** `ZooKeeperServer.dumpConf`, and on a quorum server `QuorumZooKeeperServer.dumpConf`'s lines after it. */
function conf(s: ServerSnapshot): string {
  const q = s.quorum;
  const me = q?.members.find((m) => m.sid === q.sid);
  const dir = `/zksim/${q?.sid ?? 1}/data/version-2`;
  const base = lines([
    `clientPort=${me?.clientPort ?? s.cfg.clientPort}`,
    "secureClientPort=-1",
    `dataDir=${dir}`,
    `dataDirSize=${s.logRecords}`,
    `dataLogDir=${dir}`,
    `dataLogSize=${s.logRecords}`,
    `tickTime=${s.cfg.tickTimeMs}`,
    "maxClientCnxns=60",
    `minSessionTimeout=${s.minSessionTimeoutMs}`,
    `maxSessionTimeout=${s.maxSessionTimeoutMs}`,
    "clientPortListenBacklog=-1",
    `serverId=${q?.sid ?? 0}`,
  ]);
  if (q === undefined || me === undefined) return base;
  // `QuorumServer.toString`: the client address is printed when the server line gave one (zksim's
  // generated lines all do, as `;port`, which Java reads as 0.0.0.0:port). `QuorumMaj.toString` ends
  // with the version and no newline; the configuration is never reconfigured here, so version 0.
  const member = (m: QuorumMember): string => `server.${m.sid}=${m.host}:${m.quorumPort}:${m.electionPort}:${m.type};0.0.0.0:${m.clientPort}`;
  return (
    base +
    lines([
      `initLimit=${q.initLimit}`,
      `syncLimit=${q.syncLimit}`,
      "electionAlg=3",
      `electionPort=${me.electionPort}`,
      `quorumPort=${me.quorumPort}`,
      `peerType=${me.type === "participant" ? 0 : 1}`,
      "membership: ",
      ...q.members.map(member),
    ]) +
    "version=0"
  );
}

/**
 * `DumpCommand`: the session tracker, the ephemerals (`DataTree.dumpEphemerals`, sessions in the
 * ConcurrentHashMap's order, paths in their HashSet's), then `NIOServerCnxnFactory.dumpConnections`.
 * The connection buckets hold every client connection at (now + its session timeout) as if its last
 * packet had just arrived, and the asking connection at (now + 10 s); empty buckets, which the real
 * queue keeps until their time passes, are not shown.
 */
function dump(s: ServerSnapshot, tracker: SessionTrackerDump): string {
  const date = (ms: number): string => javaDateString(s.cfg.epochMs + ms);
  const out = ["SessionTracker dump:"];
  if (tracker.kind === "expiry") {
    const buckets = new Map<number, bigint[]>();
    for (const [id, at] of tracker.expiresAt) buckets.set(at, [...(buckets.get(at) ?? []), id]);
    out.push(`Session Sets (${buckets.size})/(${tracker.expiresAt.size}):`);
    for (const at of [...buckets.keys()].sort((a, b) => a - b)) {
      const ids = buckets.get(at) ?? [];
      out.push(`${ids.length} expire at ${date(at)}:`, ...ids.map((id) => `\t${longHex(id)}`));
    }
  } else {
    const ids = [...tracker.sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push(`Global Sessions(${ids.length}):`, ...ids.map((id) => `${longHex(id)}\t${tracker.sessions.get(id) ?? 0}ms`));
  }
  out.push("ephemeral nodes dump:");
  const owners = javaHashOrder(s.tree.sessionsWithEphemerals(), javaLongHash);
  out.push(`Sessions with Ephemerals (${owners.length}):`);
  for (const id of owners) out.push(`${longHex(id)}:`, ...s.tree.ephemeralsOf(id).map((p) => `\t${p}`));
  out.push("Connections dump:");
  const roundUp = (ms: number): number => (Math.floor(ms / SESSIONLESS_CNXN_TIMEOUT_MS) + 1) * SESSIONLESS_CNXN_TIMEOUT_MS;
  const conns = [
    ...s.conns.map((c) => ({ at: roundUp(s.uptimeMs + (c.sessionId === null ? SESSIONLESS_CNXN_TIMEOUT_MS : c.timeoutMs)), text: `ip: /${s.cfg.clientIp}:${c.port} sessionId: ${longHex(c.sessionId ?? 0n)}` })),
    { at: roundUp(s.uptimeMs + SESSIONLESS_CNXN_TIMEOUT_MS), text: `ip: /127.0.0.1:${SELF_PORT} sessionId: 0x0` },
  ];
  const times = [...new Set(conns.map((c) => c.at))].sort((a, b) => a - b);
  out.push(`Connections Sets (${times.length})/(${conns.length}):`);
  for (const at of times) {
    const here = conns.filter((c) => c.at === at);
    out.push(`${here.length} expire at ${date(at)}:`, ...here.map((c) => `\t${c.text}`));
  }
  return lines(out);
}

/** Whether `NIOServerCnxn.checkFourLetterWord` runs a word at all: unknown, or off the whitelist. */
function gate(word: string, whitelist: string | null): string | null {
  if (!KNOWN_FOUR_LETTER_WORDS.includes(word)) return "";
  if (!enabledFourLetterWords(whitelist).has(word)) return `${word} is not executed because it is not in the whitelist.\n`;
  return null;
}

const ENVIRONMENT = [
  "Environment:",
  `zookeeper.version=${ZKCLI_FULL_VERSION}`,
  "host.name=localhost",
  "java.version=17.0.15",
  "java.vendor=Debian",
  "java.home=/usr/lib/jvm/java-17-openjdk-amd64",
  "java.class.path=/etc/zookeeper/conf:/usr/share/java/zookeeper.jar",
  "java.library.path=/usr/java/packages/lib:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/jni:/lib:/usr/lib",
  "java.io.tmpdir=/tmp",
  "java.compiler=<NA>",
  "os.name=Linux",
  "os.arch=amd64",
  "os.version=6.1.0",
  "user.name=root",
  "user.home=/var/lib/zookeeper",
  "user.dir=/var/lib/zookeeper",
  "os.memory.free=248MB",
  "os.memory.max=256MB",
  "os.memory.total=256MB",
];

/**
 * The answer of a server whose `ZooKeeperServer` is not running (a quorum peer while it elects or
 * syncs): ruok, gtmk and envi do not look at the server; isro prints "null"; hash prints the
 * not-serving line without a newline; every other command prints it with one (`*Command.commandRun`
 * in 3.8). The whitelist is checked first, as always.
 */
export function fourLetterWordNotServing(input: string, whitelist: string | null): string {
  const { word } = parseFourLetterInput(input);
  const gated = gate(word, whitelist);
  if (gated !== null) return gated;
  switch (word) {
    case "ruok":
      return "imok";
    case "gtmk":
      return String(DEFAULT_TRACE_MASK);
    case "envi":
      return lines(ENVIRONMENT);
    case "isro":
      return "null";
    case "hash":
      return ZK_NOT_SERVING;
    case "stmk":
      // SetTraceMaskCommand needs no running server, but zksim keeps no mask for a quorum peer.
      return `${word} is not simulated by zksim yet.\n`;
    case "telnet close":
      return "";
    default:
      return `${ZK_NOT_SERVING}\n`;
  }
}

/**
 * What an operator sends, split as the server reads it: the four-letter word, and for `stmk` the
 * 8-byte mask after it, written here as a number after a space (`stmk 250`, `stmk 0xfa`; hex is
 * the 8 bytes as they go, decimal a Java long). A mask that is missing or not a number reads as
 * fewer than 8 bytes.
 */
export function parseFourLetterInput(input: string): { readonly word: string; readonly mask: bigint | null } {
  if (KNOWN_FOUR_LETTER_WORDS.includes(input)) return { word: input, mask: null };
  const m = /^(\S*)\s+(.*)$/s.exec(input);
  if (m === null) return { word: input, mask: null };
  const arg = (m[2] ?? "").trim();
  let mask: bigint | null = null;
  if (/^0x[0-9a-fA-F]{1,16}$/.test(arg)) mask = BigInt.asIntN(64, BigInt(arg));
  else if (/^-?\d{1,20}$/.test(arg) && BigInt(arg) === BigInt.asIntN(64, BigInt(arg))) mask = BigInt(arg);
  return { word: m[1] ?? "", mask };
}

/**
 * `SessionTrackerImpl`'s view for `dump` on a server that expires sessions (a standalone server, a
 * leader): each known session with the bucket time its expiry queue holds it at.
 */
export function expirySessionTracker(sessions: ReadonlyMap<bigint, number>, expiry: ExpiryQueue<bigint>): SessionTrackerDump {
  const expiresAt = new Map<bigint, number>();
  for (const id of sessions.keys()) {
    const at = expiry.expiresAt(id);
    if (at !== undefined) expiresAt.set(id, at);
  }
  return { kind: "expiry", expiresAt };
}

/** `WatchManager.dumpWatches` and WatchCommand's closing empty line: by connection (wchc) or by path (wchp). */
function watchDump(w: DataWatchDump, byPath: boolean): string {
  const out: string[] = [];
  if (byPath) for (const [path, ids] of w.byPath) out.push(path, ...ids.map((id) => `\t${longHex(id)}`));
  else for (const [id, paths] of w.byConnection) out.push(longHex(id), ...paths.map((p) => `\t${p}`));
  return lines([...out, ""]);
}

const notSimulated = (word: string): string => `${word} is not simulated by zksim yet.\n`;

/**
 * The answer to one four-letter word, byte for byte as a 3.8.0 server writes it
 * (`server/command/*Command`): a standalone server, or with `s.quorum` a leader, follower or
 * observer; host-dependent values (paths, ports, JVM) are fixed simulated ones.
 * `NIOServerCnxn.checkFourLetterWord`: a word `FourLetterCommands` does not know is not a command at
 * all (its four bytes read as a packet length over jute.maxbuffer, and the server closes the
 * connection), so the answer is empty; a known word off the whitelist gets `NopCommand`'s line.
 * `input` is the word, and for stmk its mask after a space (`parseFourLetterInput`). crst, srst and
 * stmk change the server through `s.actions`.
 */
export function fourLetterWord(input: string, s: ServerSnapshot): string {
  const { word, mask } = parseFourLetterInput(input);
  const gated = gate(word, s.cfg.fourLetterWordWhitelist);
  if (gated !== null) return gated;
  const act = s.actions ?? {};
  switch (word) {
    case "ruok":
      return "imok";
    case "isro":
      return "rw";
    case "srvr":
      return lines([`Zookeeper version: ${ZKCLI_FULL_VERSION}`, ...serverLines(s)]);
    case "stat":
      return lines([`Zookeeper version: ${ZKCLI_FULL_VERSION}`, "Clients:", ...connLines(s), "", ...serverLines(s)]);
    case "cons":
      return lines([...connLines(s), ""]);
    case "conf":
      return conf(s);
    case "envi":
      return lines(ENVIRONMENT);
    case "mntr":
      return mntr(s);
    case "wchs": {
      // DataTree.dumpWatchesSummary prints the data manager alone (child watches are not counted).
      const w = s.dataWatches;
      return lines([`${w.connections} connections watching ${w.paths} paths`, `Total watches:${w.total}`]);
    }
    case "wchc":
      return watchDump(s.dataWatches, false);
    case "wchp":
      return watchDump(s.dataWatches, true);
    case "dirs":
      return lines([`datadir_size: ${s.logRecords}`, `logdir_size: ${s.logRecords}`]);
    case "gtmk":
      return String(s.traceMask ?? DEFAULT_TRACE_MASK);
    case "stmk":
      if (act.setTraceMask === undefined) return notSimulated(word);
      // Fewer than 8 bytes after the word: getLong throws, the connection closes unanswered.
      if (mask === null) return "";
      act.setTraceMask(mask);
      return String(mask);
    case "dump":
      if (s.sessionTracker !== undefined) return dump(s, s.sessionTracker);
      return notSimulated(word);
    case "crst":
      if (act.resetConnectionStats === undefined) return notSimulated(word);
      act.resetConnectionStats();
      return "Connection stats reset.\n";
    case "srst":
      if (act.resetServerStats === undefined || (s.quorum?.leader != null && act.resetProposalStats === undefined)) return notSimulated(word);
      act.resetServerStats();
      act.resetProposalStats?.();
      return "Server stats reset.\n";
    case "hash":
      // DigestCommand: one line per logged digest, the zxid in bare hex, the digest a signed long.
      return lines(s.tree.digestLog().map((d) => `${BigInt.asUintN(64, d.zxid).toString(16)}: ${d.digest}`));
    case "telnet close":
      // Known, but CommandExecutor has no command for it: its bytes are read as a negative length.
      return "";
    default:
      return notSimulated(word);
  }
}

// ---------------------------------------------------------------- proposal sizes

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;
/** A jute `ustring` or `buffer`: a 4-byte length, then the bytes (null: length -1, no bytes). */
const juteString = (s: string): number => 4 + utf8Length(s);
const juteBuffer = (b: Uint8Array | null): number => 4 + (b?.length ?? 0);
const juteAcls = (acl: readonly Acl[]): number => 4 + acl.reduce((n, a) => n + 4 + juteString(a.id.scheme) + juteString(a.id.id), 0);

/** The jute size of a txn record (`org.apache.zookeeper.txn.*Txn.serialize`). */
function txnRecordBytes(txn: Txn): number {
  switch (txn.type) {
    case "createSession": // CreateSessionTxn: int timeOut
      return 4;
    case "closeSession": // CloseSessionTxn: vector<ustring> paths2Delete
      return 4 + txn.paths.reduce((n, p) => n + juteString(p), 0);
    case "create": {
      const common = juteString(txn.path) + juteBuffer(txn.data) + juteAcls(txn.acl) + 4; // path, data, acl, parentCVersion
      if (txn.kind === "createContainer") return common; // CreateContainerTxn
      if (txn.kind === "createTTL") return common + 8; // CreateTTLTxn: + long ttl
      return common + 1; // CreateTxn: + boolean ephemeral
    }
    case "delete": // DeleteTxn
      return juteString(txn.path);
    case "setData": // SetDataTxn: path, data, int version
      return juteString(txn.path) + juteBuffer(txn.data) + 4;
    case "setACL": // SetACLTxn: path, acl, int version
      return juteString(txn.path) + juteAcls(txn.acl) + 4;
    case "check": // CheckVersionTxn: path, int version
      return juteString(txn.path) + 4;
    case "error": // ErrorTxn: int err
      return 4;
    case "multi": // MultiTxn: vector<Txn{int type, buffer data}>
      return 4 + txn.txns.reduce((n, t) => n + 4 + 4 + txnRecordBytes(t), 0);
  }
}

/** `TxnHeader`: long clientId, int cxid, long zxid, long time, int type. */
const TXN_HEADER_BYTES = 32;
/** `TxnDigest`: int version, long treeDigest (zookeeper.digest.enabled is true by default in 3.8). */
const TXN_DIGEST_BYTES = 12;

/**
 * The size `Leader.propose` records in its proposal stats: `SerializeUtils.serializeRequest`, the
 * header, the txn record and the digest as jute writes them. PrepRequestProcessor gives every txn a
 * digest except a request that failed outside a multi (its ErrorTxn replaces a txn before the
 * digest is set). Exact for every txn zksim makes: a createSession is 48 bytes, the recorded
 * `create /a x` with the open ACL 87.
 */
export function proposalBytes(t: { readonly hdr: TxnHeader; readonly txn: Txn }): number {
  return TXN_HEADER_BYTES + txnRecordBytes(t.txn) + (t.txn.type === "error" ? 0 : TXN_DIGEST_BYTES);
}
