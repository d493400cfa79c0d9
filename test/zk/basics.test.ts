import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aclLines, permString, PERM } from "../../src/zk/acl.js";
import { CONTAINER_EPHEMERAL_OWNER, clientEphemeralOwner, ephemeralKind, ttlEphemeralOwner, ttlOf } from "../../src/zk/ephemeral-type.js";
import { cliErrorMessage, ERR, keeperErrorMessage } from "../../src/zk/errors.js";
import { javaDateString } from "../../src/zk/java-date.js";
import { JavaHashSet } from "../../src/zk/java-hash-set.js";
import { javaStringHash, longHex } from "../../src/zk/java-int.js";
import { createPathError, parentPath, pathError, sequenceSuffix } from "../../src/zk/path.js";

describe("PathUtils.validatePath", () => {
  // Messages as the real zkCli printed them (test/oracle/zkcli/11, 30, 31).
  const cases: [string, string | null][] = [
    ["/", null],
    ["", "Path length must be > 0"],
    ["relative", "Path must start with / character"],
    ["/ok/", "Path must not end with / character"],
    ["//", "Path must not end with / character"],
    ["/dup//x", 'Invalid path string "/dup//x" caused by empty node name specified @5'],
    ["/ok/.", 'Invalid path string "/ok/." caused by relative paths not allowed @4'],
    ["/ok/..", 'Invalid path string "/ok/.." caused by relative paths not allowed @5'],
    ["/.", 'Invalid path string "/." caused by relative paths not allowed @1'],
    ["/..", 'Invalid path string "/.." caused by relative paths not allowed @2'],
    ["/ok/./x", 'Invalid path string "/ok/./x" caused by relative paths not allowed @4'],
    ["/ok/../x", 'Invalid path string "/ok/../x" caused by relative paths not allowed @5'],
    ["/ok/.hidden", null],
    ["/ok/...", null],
    ["/ok/..x", null],
    ["/ok/x.", null],
    ["/ctl/a\u0001b", 'Invalid path string "/ctl/a\u0001b" caused by invalid character @6'],
    ["/ctl/nul\u0000x", 'Invalid path string "/ctl/nul\u0000x" caused by null character not allowed @8'],
    ["/ctl/del\u007fx", 'Invalid path string "/ctl/del\u007fx" caused by invalid character @8'],
    ["/ctl/c1\u0085x", 'Invalid path string "/ctl/c1\u0085x" caused by invalid character @7'],
    ["/ctl/pua\ue000x", 'Invalid path string "/ctl/pua\ue000x" caused by invalid character @8'],
    ["/ctl/ffff\uffffx", 'Invalid path string "/ctl/ffff\uffffx" caused by invalid character @9'],
    ["/ctl/fff0\ufff0x", 'Invalid path string "/ctl/fff0\ufff0x" caused by invalid character @9'],
    ["/ctl/ok\uffefx", null],
    ["/emoji\u{1F600}", 'Invalid path string "/emoji\u{1F600}" caused by invalid character @6'],
    ["/日本/子", null],
  ];
  for (const [path, msg] of cases) it(JSON.stringify(path), () => expect(pathError(path)).toBe(msg));

  it("null", () => expect(pathError(null)).toBe("Path cannot be null"));
  it("sequential creates check path + 1, so a trailing slash is fine", () => {
    expect(createPathError("/p/", true)).toBeNull();
    expect(createPathError("/p/", false)).toBe("Path must not end with / character");
  });
  it("never throws, and names made of safe letters are valid", () => {
    fc.assert(fc.property(fc.string(), (s) => void pathError(s)));
    const name = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (parts) => pathError(`/${parts.join("/")}`) === null));
  });
  it("parents", () => {
    expect(parentPath("/a")).toBe("/");
    expect(parentPath("/a/b")).toBe("/a");
  });
});

describe("sequence suffix (%010d of a Java int)", () => {
  it("pads to ten, sign included", () => {
    expect(sequenceSuffix(0)).toBe("0000000000");
    expect(sequenceSuffix(7)).toBe("0000000007");
    expect(sequenceSuffix(2147483647)).toBe("2147483647");
    expect(sequenceSuffix(-5)).toBe("-000000005");
    expect(sequenceSuffix(-2147483648)).toBe("-2147483648");
  });
  it("refuses what is not an int", () => expect(() => sequenceSuffix(2 ** 31)).toThrow());
});

describe("KeeperException text", () => {
  it("getMessage", () => {
    expect(keeperErrorMessage(ERR.NoNode, "/a")).toBe("KeeperErrorCode = NoNode for /a");
    expect(keeperErrorMessage(ERR.NotEmpty, "/a")).toBe("KeeperErrorCode = Directory not empty for /a");
    expect(keeperErrorMessage(ERR.Unimplemented, "/ttl")).toBe("KeeperErrorCode = Unimplemented for /ttl");
    expect(keeperErrorMessage(ERR.InvalidACL, null)).toBe("KeeperErrorCode = InvalidACL");
    expect(keeperErrorMessage(ERR.SessionExpired, "/a")).toBe("KeeperErrorCode = Session expired for /a");
  });
  it("codes", () => {
    expect([ERR.NoNode, ERR.NodeExists, ERR.NotEmpty, ERR.BadVersion, ERR.NoChildrenForEphemerals]).toEqual([-101, -110, -111, -103, -108]);
    expect([ERR.InvalidACL, ERR.NoAuth, ERR.BadArguments, ERR.Unimplemented, ERR.RuntimeInconsistency]).toEqual([-114, -102, -8, -6, -2]);
  });
  it("zkCli wording (CliWrapperException)", () => {
    expect(cliErrorMessage(ERR.BadVersion, "/v")).toBe("version No is not valid : /v");
    expect(cliErrorMessage(ERR.NoAuth, "/zookeeper/config")).toBe("Insufficient permission : /zookeeper/config");
    expect(cliErrorMessage(ERR.InvalidACL, null)).toBe("Acl is not valid : null");
    expect(cliErrorMessage(ERR.Unimplemented, "/ttl")).toBe("KeeperErrorCode = Unimplemented for /ttl");
  });
});

describe("Java renderings", () => {
  it("Date.toString in UTC", () => {
    expect(javaDateString(0)).toBe("Thu Jan 01 00:00:00 UTC 1970");
    expect(javaDateString(-1)).toBe("Wed Dec 31 23:59:59 UTC 1969");
    expect(javaDateString(951_782_400_000)).toBe("Tue Feb 29 00:00:00 UTC 2000");
    expect(javaDateString(1_700_000_000_000)).toBe("Tue Nov 14 22:13:20 UTC 2023");
    expect(javaDateString(1_795_435_643_000)).toBe("Mon Nov 23 12:07:23 UTC 2026");
  });
  it("Long.toHexString", () => {
    expect(longHex(0n)).toBe("0x0");
    expect(longHex(0x100000003n)).toBe("0x100000003");
    expect(longHex(CONTAINER_EPHEMERAL_OWNER)).toBe("0x8000000000000000");
  });
  it("String.hashCode", () => {
    expect(javaStringHash("")).toBe(0);
    expect(javaStringHash("Aa")).toBe(javaStringHash("BB")); // Java's classic collision
    expect(javaStringHash("abc")).toBe(96354);
  });
  it("ACL text as zkCli getAcl prints it", () => {
    expect(aclLines({ perms: PERM.ALL, id: { scheme: "world", id: "anyone" } })).toEqual(["'world,'anyone", ": cdrwa"]);
    expect(aclLines({ perms: PERM.READ, id: { scheme: "digest", id: "bob:x,y" } })).toEqual(["'digest,'bob:x%2Cy", ": r"]);
    expect(permString(PERM.READ | PERM.ADMIN)).toBe("ra");
  });
});

describe("ephemeralOwner encodings (EphemeralType)", () => {
  it("container is Long.MIN_VALUE, TTL 0xff.. | ttl; clients see 0 for both", () => {
    const ttl = ttlEphemeralOwner(100_000n);
    expect(longHex(ttl)).toBe("0xff000000000186a0");
    expect(ttlOf(ttl)).toBe(100_000n);
    expect(ephemeralKind(ttl, true)).toBe("TTL");
    expect(ephemeralKind(CONTAINER_EPHEMERAL_OWNER, false)).toBe("CONTAINER");
    expect(ephemeralKind(0x1000024dfb70000n, false)).toBe("NORMAL");
    expect(ephemeralKind(0n, false)).toBe("VOID");
    expect(clientEphemeralOwner(ttl, true)).toBe(0n);
    expect(clientEphemeralOwner(CONTAINER_EPHEMERAL_OWNER, true)).toBe(0n);
    expect(clientEphemeralOwner(0x1000024dfb70000n, true)).toBe(0x1000024dfb70000n);
    expect(() => ttlEphemeralOwner(0n)).toThrow("ttl must be positive and cannot be larger than: 1099511627775");
  });
});

describe("Java HashSet iteration order", () => {
  it("matches getEphemerals in the recordings (13-ephemeral, 60-getephemerals)", () => {
    const s = new JavaHashSet();
    for (const p of ["/parent/eph", "/parent/es-0000000001", "/parent/es-0000000002"]) s.add(p);
    expect(s.clone().values()).toEqual(["/parent/es-0000000001", "/parent/eph", "/parent/es-0000000002"]);
    const t = new JavaHashSet();
    for (const p of ["/e1", "/e2", "/p/e3", "/p/s-0000000001"]) t.add(p);
    expect(t.clone().values()).toEqual(["/p/s-0000000001", "/e1", "/e2", "/p/e3"]);
    t.delete("/e1");
    expect(t.clone().values()).toEqual(["/p/s-0000000001", "/e2", "/p/e3"]);
  });
  it("grows past 3/4 full and clones to tableSizeFor(size/0.75 + 1)", () => {
    const s = new JavaHashSet(8);
    for (let i = 0; i < 6; i++) s.add(`c${i}`);
    expect(s.capacity).toBe(8);
    s.add("c6");
    expect(s.capacity).toBe(16);
    expect(s.clone().capacity).toBe(16); // floor(7 / 0.75 + 1) = 10 -> 16
    for (let i = 0; i < 4; i++) s.delete(`c${i}`);
    expect(s.capacity).toBe(16); // HashMap never shrinks
    expect(s.clone().capacity).toBe(8); // floor(3 / 0.75 + 1) = 5 -> 8
  });
  it("holds exactly what was added and not removed", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.stringMatching(/^[a-c]{0,3}$/))), (ops) => {
        const s = new JavaHashSet(8);
        const model = new Set<string>();
        for (const [add, k] of ops) {
          expect(add ? s.add(k) : s.delete(k)).toBe(add ? !model.has(k) : model.has(k));
          if (add) model.add(k);
          else model.delete(k);
        }
        expect([...s.values()].sort()).toEqual([...model].sort());
        expect([...s.clone().values()].sort()).toEqual([...model].sort());
      }),
    );
  });
});
