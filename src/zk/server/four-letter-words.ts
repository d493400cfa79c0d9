import { ZKCLI_FULL_VERSION } from "../cli/info-commands.js";
import type { DataTree } from "../datatree.js";
import { MNTR_KEYS } from "./mntr-keys.js";
import type { StandaloneConfig } from "./standalone-server.js";
import { hex } from "./wire.js";

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
  readonly sessions: number;
};

/** The words this server answers as the real one does (when the whitelist lets them). */
export const FOUR_LETTER_WORDS: readonly string[] = Object.freeze(["ruok", "srvr", "stat", "conf", "envi", "isro", "mntr", "cons", "wchs", "dirs", "gtmk"]);

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

/** Java's `String.trim`: drops every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

/**
 * `FourLetterCommands.isEnabled`: the whitelist split at commas, each entry trimmed, empty ones
 * skipped; an entry `*` enables every known word (and ends the scan); `srvr` is always enabled
 * (zkServer.sh needs it). Names are compared case-sensitively. (`isro` is also added when
 * `readonlymode.enabled` is true; zksim's standalone server has no read-only mode.)
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
const DEFAULT_TRACE_MASK = (1 << 1) | (1 << 4) | (1 << 5) | (1 << 8);

/** Java's `Double.toString` for the values latency averages take. */
const javaDouble = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

const avgLatency = (s: ServerSnapshot): string => javaDouble(s.latency.count === 0 ? 0 : Math.round((s.latency.sum * 100) / s.latency.count) / 100);

/** The connection that carries the four-letter word itself, as `cons` and `stat` list it. */
const SELF_CONN = " /127.0.0.1:47600[0](queued=0,recved=1,sent=0)";

function connLines(s: ServerSnapshot): string[] {
  const lines = s.conns.map((c) => {
    const base = ` /${s.cfg.clientIp}:${c.port}[1](queued=${c.queued},recved=${c.recved},sent=${c.sent}`;
    return c.sessionId === null ? `${base})` : `${base},sid=${hex(c.sessionId)},lop=NA,est=${s.cfg.epochMs},to=${c.timeoutMs})`;
  });
  return [...lines, SELF_CONN];
}

function serverLines(s: ServerSnapshot): string[] {
  const l = s.latency;
  return [
    `Latency min/avg/max: ${l.min}/${avgLatency(s)}/${l.max}`,
    `Received: ${s.received}`,
    `Sent: ${s.sent}`,
    `Connections: ${s.conns.length + 1}`,
    `Outstanding: ${s.outstanding}`,
    `Zxid: ${hex(s.zxid)}`,
    "Mode: standalone",
    `Node count: ${s.tree.nodeCount}`,
  ];
}

function mntr(s: ServerSnapshot): string {
  const watchCount = s.watches.reduce((n, w) => n + w.count, 0);
  const known: Record<string, string> = {
    zk_version: ZKCLI_FULL_VERSION,
    zk_server_state: "standalone",
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
  return MNTR_KEYS.map(([k, d]) => `${k}\t${known[k] ?? d}\n`).join("");
}

/**
 * The answer to one four-letter word, byte for byte as the 3.8.0 standalone server writes it
 * (`server/command/*Command`); host-dependent values (paths, ports, JVM) are fixed simulated ones.
 * `NIOServerCnxn.checkFourLetterWord`: a word `FourLetterCommands` does not know is not a command at
 * all (its four bytes read as a packet length over jute.maxbuffer, and the server closes the
 * connection), so the answer is empty; a known word off the whitelist gets `NopCommand`'s line.
 */
export function fourLetterWord(word: string, s: ServerSnapshot): string {
  if (!KNOWN_FOUR_LETTER_WORDS.includes(word)) return "";
  if (!enabledFourLetterWords(s.cfg.fourLetterWordWhitelist).has(word)) return `${word} is not executed because it is not in the whitelist.\n`;
  const lines = (xs: readonly string[]): string => xs.map((x) => `${x}\n`).join("");
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
      return lines([
        `clientPort=${s.cfg.clientPort}`,
        "secureClientPort=-1",
        "dataDir=/zksim/1/data/version-2",
        `dataDirSize=${s.logRecords}`,
        "dataLogDir=/zksim/1/data/version-2",
        `dataLogSize=${s.logRecords}`,
        `tickTime=${s.cfg.tickTimeMs}`,
        "maxClientCnxns=60",
        `minSessionTimeout=${s.minSessionTimeoutMs}`,
        `maxSessionTimeout=${s.maxSessionTimeoutMs}`,
        "clientPortListenBacklog=-1",
        "serverId=0",
      ]);
    case "envi":
      return lines([
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
      ]);
    case "mntr":
      return mntr(s);
    case "wchs": {
      const watching = s.watches.filter((w) => w.count > 0);
      const paths = new Set(watching.flatMap((w) => [...w.paths]));
      const total = watching.reduce((n, w) => n + w.paths.size, 0);
      return lines([`${watching.length} connections watching ${paths.size} paths`, `Total watches:${total}`]);
    }
    case "dirs":
      return lines([`datadir_size: ${s.logRecords}`, `logdir_size: ${s.logRecords}`]);
    case "gtmk":
      return String(DEFAULT_TRACE_MASK);
    default:
      // dump, wchc, wchp need per-session data the snapshot does not carry yet; crst and srst would have to
      // reset the server's counters; stmk and hash are not simulated. Saying so beats a made-up answer.
      return `${word} is not simulated by zksim yet.\n`;
  }
}
