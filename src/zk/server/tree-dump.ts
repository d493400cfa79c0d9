/**
 * A server's data tree as plain data, for reports: every znode in path order with its data, data
 * version and the zxids that created and last changed it. Reports compare these across servers, so
 * the dump holds nothing that legitimately differs between replicas of the same history (times are
 * the leader's and equal everywhere; ephemeral owners are kept, as a diverging owner is a finding).
 */
import type { DataTree } from "../datatree.js";
import { QuorumPeer } from "../quorum/peer.js";
import { StandaloneServer } from "./standalone-server.js";
import { hex } from "./wire.js";

export interface TreeEntry {
  readonly path: string;
  /** The data as UTF-8 when it decodes cleanly to printable text, else `0x` and hex; null for null data. */
  readonly data: string | null;
  readonly version: number;
  readonly czxid: string;
  readonly mzxid: string;
  /** The owning session (hex) of an ephemeral node, else null. */
  readonly ephemeralOwner: string | null;
}

/** A server's final state as the report shows it: its tree, or why there is none. */
export interface ServerTreeDump {
  readonly node: string;
  /** `up`: the tree of a live server; `down`: crashed at the end, nothing to read. */
  readonly state: "up" | "down";
  /** The last zxid applied to the tree (hex), null when down. */
  readonly lastZxid: string | null;
  readonly entries: readonly TreeEntry[];
}

const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/u;

/** Data as text when it is printable UTF-8 (what zkCli would show), else hex. */
export function dataText(data: Uint8Array | null): string | null {
  if (data === null) return null;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(data);
  if (!text.includes("\ufffd") && PRINTABLE.test(text) && !text.startsWith("0x")) return text;
  return `0x${[...data].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Every znode of a tree, sorted by path (DataTree's own order is a hash map's). */
export function dumpTree(tree: DataTree): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const path of tree.paths()) {
    const n = tree.node(path);
    if (n === undefined) continue;
    const st = tree.statOf(n);
    out.push({
      path,
      data: dataText(n.data),
      version: st.version,
      czxid: hex(st.czxid),
      mzxid: hex(st.mzxid),
      ephemeralOwner: st.ephemeralOwner === 0n ? null : hex(st.ephemeralOwner),
    });
  }
  return out;
}

/**
 * The trees of ZooKeeper servers (an ensemble's or a standalone one) at the end of a run, read from
 * the nodes the world holds (`inspect` gives null for a node that is down). Nodes that are up but
 * no ZooKeeper server are left out.
 */
export function dumpServerTrees(servers: readonly string[], inspect: (node: string) => unknown): ServerTreeDump[] {
  const out: ServerTreeDump[] = [];
  for (const node of servers) {
    const n = inspect(node);
    if (n instanceof QuorumPeer) out.push({ node, state: "up", lastZxid: hex(n.db.lastZxid), entries: dumpTree(n.db.tree) });
    else if (n instanceof StandaloneServer) out.push({ node, state: "up", lastZxid: hex(n.lastZxid), entries: dumpTree(n.tree) });
    else if (n === null || n === undefined) out.push({ node, state: "down", lastZxid: null, entries: [] });
  }
  return out;
}
