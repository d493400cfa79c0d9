// The client library against several servers (ClientCnxn + StaticHostProvider): the shuffled
// connect string, round-robin with a pause per cycle, failover, ConnectionLoss, Expired, the refusal
// of a server behind the client, and the connect and read timeouts.
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { ZkShell } from "../../../src/zk/cli/shell.js";
import { clientNode } from "../../../src/zk/client/client-node.js";
import { parseConnectString } from "../../../src/zk/client/connect-string.js";
import { HostProvider } from "../../../src/zk/client/host-provider.js";
import { StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
import { Stream } from "../../../src/sim/random.js";
import { ERR } from "../../../src/zk/errors.js";
import { toWire } from "../../../src/zk/server/wire.js";
import { CLIENT, Cluster } from "./cluster.js";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const createBody = (path: string): ReturnType<typeof toWire> =>
  toWire({ op: "write", req: { type: "create", path, data: bytes("x"), acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } });

describe("connect string and host provider", () => {
  it("parses host:port lists, default ports and a chroot", () => {
    expect(parseConnectString("a:1,b:2")).toEqual({ addresses: ["a:1", "b:2"], chroot: null });
    expect(parseConnectString(" a , b: ,c:3/app")).toEqual({ addresses: ["a:2181", "b:2181", "c:3"], chroot: "/app" });
    expect(parseConnectString("a:1/")).toEqual({ addresses: ["a:1"], chroot: null });
  });

  it("goes round-robin and asks for the pause each time it comes back to the last good host", () => {
    const p = new HostProvider(["a", "b", "c"], new Stream(1, "t"));
    const [x, y, z] = p.order();
    expect([p.next(), p.next(), p.next(), p.next()]).toEqual([
      { host: x, spin: false },
      { host: y, spin: false },
      { host: z, spin: false },
      { host: x, spin: true },
    ]);
    p.onConnected(); // on x
    expect([p.next(), p.next(), p.next()].map((n) => n.spin)).toEqual([false, false, true]);
  });
});

describe("the client against several servers", () => {
  it("shuffles the connect string once per handle, the same way for the same seed", () => {
    const orders = [1, 2, 3, 4, 5, 6].map((seed) => new Cluster({ seed }).order().join(","));
    expect(new Cluster({ seed: 1 }).order().join(",")).toBe(orders[0]);
    expect(new Set(orders).size).toBeGreaterThan(1);
    const c = new Cluster({ seed: 3 });
    expect(c.attempts()).toEqual([c.order()[0]]);
    expect(c.sim.state()).toBe("CONNECTED");
    expect(c.of("zk-session", c.order()[0] as string).map((e) => e["event"])).toEqual(["create"]);
  });

  it("tries every server in turn, then pauses a second before the next cycle", () => {
    const c = new Cluster({ seed: 5, connect: false });
    for (const id of c.ids) c.world.crash(id);
    c.connect();
    c.advance(2500);
    const tries = c.of("zk-client-connecting");
    const order = c.order();
    expect(tries.slice(0, 6).map((e) => e["server"])).toEqual([...order, ...order]);
    const gapMs = (i: number): number => Math.floor(((tries[i]?.t ?? 0) - (tries[i - 1]?.t ?? 0)) / 1000);
    // No backoff before the handle's first TCP connection; the pause comes at the end of the cycle.
    expect([gapMs(1), gapMs(2)].every((g) => g < 5)).toBe(true);
    expect(gapMs(3)).toBeGreaterThanOrEqual(1000);
    expect(c.sim.state()).toBe("CONNECTING");
  });

  it("connects past a dead first server to the next one", () => {
    const c = new Cluster({ seed: 9, connect: false });
    const first = new Cluster({ seed: 9, connect: false });
    first.connect();
    const order = first.order();
    c.world.crash(order[0] as string);
    c.connect();
    expect(c.sim.state()).toBe("CONNECTED");
    expect(c.attempts()).toEqual([order[0], order[1]]);
    expect(c.of("zk-client-dropped").map((e) => e["reason"])).toEqual(["refused"]);
  });

  it("fails over to the next server when its server crashes; a server behind the client refuses it", () => {
    const c = new Cluster({ seed: 2 });
    const [first, second] = c.order() as string[];
    const seen: string[] = [];
    c.sim.setDefaultWatcher((e) => seen.push(`${e.state} ${e.type}`));
    expect(c.sim.create("/a", bytes("x"), OPEN_ACL_UNSAFE, 0, -1n).ok).toBe(true);
    expect(c.sim.getData("/a", true).ok).toBe(true);
    c.world.crash(first as string);
    c.advance(4000);
    // The next server holds nothing (zxid 0x0) while the client has seen 0x2: it is refused, not expired.
    expect(c.attempts().slice(0, 2)).toEqual([first, second]);
    expect(c.of("zk-session", second as string).map((e) => e["event"])).toContain("refused-behind-client");
    expect(c.of("zk-client-connecting").some((e) => e["server"] === second && e["lastZxid"] === "0x2")).toBe(true);
    c.world.restart(first as string);
    c.advance(6000);
    expect(c.sim.state()).toBe("CONNECTED");
    expect(seen).toEqual(["Disconnected None", "SyncConnected None"]);
    expect(c.states()).not.toContain("Expired");
    // The watch was set again on the restarted server.
    expect(c.sim.setData("/a", bytes("y"), -1).ok).toBe(true);
    expect(seen[2]).toBe("SyncConnected NodeDataChanged");
  });

  it("fails a pending request with ConnectionLoss when the connection drops, then reports Disconnected", () => {
    const c = new Cluster({ seed: 4 });
    const server = c.order()[0] as string;
    let seenRequest = false;
    c.world.observe((e) => {
      if (e.type === "zk-request" && e["op"] === "create") seenRequest = true;
    });
    c.world.input(CLIENT, { type: "request", xid: 500, body: createBody("/p") });
    c.world.run({ stopWhen: () => seenRequest });
    c.world.crash(server);
    c.world.run({ untilUs: c.world.now + 100_000 });
    const reply = c.of("zk-client-reply").find((e) => e["xid"] === 500);
    expect(reply?.["err"]).toBe(ERR.ConnectionLoss);
    const es = c.events.filter((e) => e["node"] === CLIENT);
    expect(es.indexOf(reply as (typeof es)[number])).toBeLessThan(es.findIndex((e) => e.type === "zk-client-state" && e["state"] === "Disconnected"));
  });

  it("holds a request made while connecting until the attempt ends", () => {
    const c = new Cluster({ seed: 4, connect: false, servers: 1 });
    c.world.crash("s1");
    c.world.input(CLIENT, { type: "open", servers: ["s1"], timeoutMs: 30000 });
    c.world.input(CLIENT, { type: "request", xid: 7, body: createBody("/q") });
    expect(c.of("zk-client-reply")).toEqual([]);
    c.world.run({ untilUs: c.world.now + 100_000 });
    expect(c.of("zk-client-reply").map((e) => [e["xid"], e["err"]])).toEqual([[7, ERR.ConnectionLoss]]);
    c.world.restart("s1");
    c.world.input(CLIENT, { type: "request", xid: 8, body: createBody("/q") });
    c.world.run({ untilUs: c.world.now + 3_000_000 });
    expect(c.of("zk-client-reply").map((e) => [e["xid"], e["err"]])).toEqual([
      [7, ERR.ConnectionLoss],
      [8, 0],
    ]);
  });

  it("reports Expired when the next server does not know the session, and SessionExpired after", () => {
    const c = new Cluster({ seed: 6 });
    const [first, second] = c.order() as string[];
    c.sim.create("/x", bytes("1"), OPEN_ACL_UNSAFE, 0, -1n);
    // Another client gives the second server a longer history than the first, so it does not refuse.
    const helper = "c2";
    c.world.addNode(helper, clientNode);
    c.world.start(helper);
    c.world.input(helper, { type: "open", servers: [second as string], timeoutMs: 30000 });
    c.world.run({ untilUs: c.world.now + 100_000 });
    for (let i = 0; i < 3; i++) c.world.input(helper, { type: "request", xid: 10 + i, body: createBody(`/h${i}`) });
    c.world.run({ untilUs: c.world.now + 200_000 });
    expect(BigInt(c.zxidOf(second as string))).toBeGreaterThan(BigInt(c.zxidOf(first as string)));
    const seen: string[] = [];
    c.sim.setDefaultWatcher((e) => seen.push(e.state));
    c.world.crash(first as string);
    c.advance(3000);
    expect(seen).toEqual(["Disconnected", "Expired"]);
    expect(c.sim.state()).toBe("CLOSED");
    expect(c.of("zk-session", second as string).map((e) => e["event"])).toContain("reconnect-expired");
    expect(c.sim.exists("/x", false)).toEqual({ ok: false, error: { kind: "keeper", code: ERR.SessionExpired, path: "/x" } });
    // A request handed to the closed handle is answered SessionExpired by the client itself.
    c.world.input(CLIENT, { type: "request", xid: 900, body: createBody("/late") });
    c.world.run({ untilUs: c.world.now + 1000 });
    expect(c.of("zk-client-reply").find((e) => e["xid"] === 900)?.["err"]).toBe(ERR.SessionExpired);
  });

  it("gives up an attempt after sessionTimeout / #servers without a session (the connect timeout)", () => {
    const probe = new Cluster({ seed: 8, connect: false });
    probe.connect();
    const order = probe.order();
    const c = new Cluster({ seed: 8, connect: false });
    c.world.pause(order[0] as string); // accepts the connection, never answers
    c.connect(30000);
    c.advance(3000);
    expect(c.sim.state()).toBe("CONNECTED");
    const tries = c.of("zk-client-connecting");
    expect(tries.map((e) => e["server"])).toEqual([order[0], order[1]]);
    expect(c.of("zk-client-dropped").map((e) => e["reason"])).toEqual(["connect-timeout"]);
    expect((tries[1]?.t ?? 0) - (tries[0]?.t ?? 0)).toBeGreaterThanOrEqual(10_000_000);
    expect((tries[1]?.t ?? 0) - (tries[0]?.t ?? 0)).toBeLessThan(11_000_000);
  });

  it("drops a connection nothing was heard on for 2/3 of the session timeout (the read timeout)", () => {
    const c = new Cluster({ seed: 11, pings: "answered", network: { breakDetectUs: 600_000_000 } });
    const server = c.order()[0] as string;
    c.advance(60_000); // idle: pings every readTimeout / 2 = 10 s keep it up
    expect(c.states()).toEqual(["SyncConnected"]);
    const pongs = c.events.filter((e) => e.type === "recv" && e["from"] === server && e["to"] === CLIENT);
    expect(pongs.length).toBeGreaterThanOrEqual(5);
    c.world.partition([[CLIENT], c.ids as string[]]);
    const cutUs = c.world.now;
    c.world.input(CLIENT, { type: "request", xid: 77, body: createBody("/r") });
    c.advance(25_000);
    const dropped = c.of("zk-client-dropped").find((e) => e["reason"] === "read-timeout");
    expect(dropped).toBeDefined();
    expect((dropped?.t ?? 0) - cutUs).toBeLessThanOrEqual(20_000_000);
    expect((dropped?.t ?? 0) - cutUs).toBeGreaterThan(10_000_000);
    expect(c.of("zk-client-reply").find((e) => e["xid"] === 77)?.["err"]).toBe(ERR.ConnectionLoss);
    expect(c.states()).toEqual(["SyncConnected", "Disconnected"]);
    expect(c.world.marks()["zk-client: read timeout"]).toBe(1);
  });

  it("keeps an idle session up against a server that does not answer pings", () => {
    const c = new Cluster({ seed: 11, pings: "silent" });
    c.advance(120_000);
    expect(c.states()).toEqual(["SyncConnected"]);
    expect(c.of("zk-client-dropped")).toEqual([]);
  });
});

describe("zkCli connect with a list of servers", () => {
  it("connects through the one that answers", () => {
    const sim = new StandaloneSim({ seed: 1 });
    let out = "";
    const shell = new ZkShell(sim.client, (_s, text) => (out += text));
    shell.executeLine("connect 127.0.0.1:9,127.0.0.1:21801");
    shell.executeLine("create /m x");
    shell.executeLine("ls /");
    expect(out).toContain("WatchedEvent state:SyncConnected type:None path:null\nCreated /m\n[m, zookeeper]\n");
    expect(shell.prompt()).toContain("127.0.0.1:9,127.0.0.1:21801(CONNECTED)");
  });
});
