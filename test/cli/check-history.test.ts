// `zksim check-history`: exit 0 with a count line when linearizable, 1 with the failing window when
// not, 2 with `file:line:col` (and no stack trace) for every kind of malformed history.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir, writeScenario, zksim } from "./cli-helpers.js";

const FIXTURES = join(ROOT, "test/check/fixtures");
const fixture = (name: string): string => join(FIXTURES, name);

const INVOKE_W1 = '{"process":1,"type":"invoke","f":"write","value":1}';
const OK_W1 = '{"process":1,"type":"ok","f":"write","value":1}';

describe("check-history", () => {
  it("a linearizable register history exits 0 with its counts", () => {
    const r = zksim(["check-history", "--model", "register", fixture("register-concurrent-ok.jsonl")]);
    expect(r.stdout).toBe("linearizable: 6 operations (1 indeterminate)\n");
    expect(r.code).toBe(0);
  });

  it("a linearizable cas-register history with fail and info exits 0", () => {
    const r = zksim(["check-history", "--model", "cas-register", fixture("cas-ok.jsonl")]);
    expect(r.stdout).toBe("linearizable: 6 operations (2 indeterminate)\n");
    expect(r.code).toBe(0);
  });

  it("a stale read exits 1 with the window of operations and the verdict line last", () => {
    const r = zksim(["check-history", "--model", "register", fixture("register-stale-read.jsonl")]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain("  2 read null -> 2 [6, 7]");
    expect(lines).toContain("  1 read null -> 1 [8, 9]");
    expect(lines.at(-2)).toBe("linearizable up to event 8; no linearization lets this operation complete at event 9: 1 read null -> 1 [8, 9]");
    expect(lines.at(-1)).toBe("not linearizable: 2 operations in events 6..9 cannot be linearized (history: 6 operations (0 indeterminate))");
  });

  it("a cas from a value never current exits 1", () => {
    const r = zksim(["check-history", "--model", "cas-register", fixture("cas-never-current.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  2 cas [5,2] -> ok [4, 5]\n");
    expect(r.stdout).toMatch(/^not linearizable: /m);
  });
});

describe("check-history bad input", () => {
  const dir = tempDir();
  const bad = (name: string, lines: readonly string[], pattern: RegExp, model = "cas-register"): void => {
    const f = writeScenario(dir, name, `${lines.join("\n")}\n`);
    const r = zksim(["check-history", "--model", model, f]);
    expect(r.stderr).toMatch(new RegExp(`${name.replace(".", "\\.")}:${pattern.source}`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  };

  it("a line that is not JSON", () => bad("notjson.jsonl", [INVOKE_W1, '{"process":1,"type":"ok",'], /2:\d+: not JSON/));
  it("a line that is not an object", () => bad("array.jsonl", ["[1,2]"], /1:1: expected a JSON object/));
  it("missing process", () => bad("noprocess.jsonl", ['{"type":"invoke","f":"read"}'], /1:1: missing "process"/));
  it("missing type", () => bad("notype.jsonl", [INVOKE_W1, '{"process":1,"f":"write"}'], /2:1: missing "type"/));
  it("missing f", () => bad("nof.jsonl", ['{"process":1,"type":"invoke"}'], /1:1: missing "f"/));
  it("an unknown type", () => bad("type.jsonl", ['{"process":1,"type":"done","f":"read"}'], /1:1: type: expected one of invoke\|ok\|fail\|info/));
  it("an unknown f", () => bad("f.jsonl", ['{"process":1,"type":"invoke","f":"append","value":1}'], /1:1: f: expected one of read\|write\|cas/));
  it("a cas value that is not a pair", () => bad("cas.jsonl", [INVOKE_W1, OK_W1, '{"process":2,"type":"invoke","f":"cas","value":[1]}'], /3:1: value: a cas needs \[expected, new\]/));
  it("ok without a preceding invoke", () => bad("orphan.jsonl", [INVOKE_W1, OK_W1, OK_W1], /3:1: ok without a preceding invoke by process 1/));
  it("a second invoke while one is pending", () => bad("twice.jsonl", [INVOKE_W1, INVOKE_W1], /2:1: process 1 invokes again while its write invoked on line 1 is pending/));
  it("a completion of another f", () => bad("otherf.jsonl", [INVOKE_W1, '{"process":1,"type":"ok","f":"read","value":1}'], /2:1: f: read completes process 1's write/));
  it("a cas under --model register", () => bad("regcas.jsonl", [INVOKE_W1, OK_W1, '{"process":2,"type":"invoke","f":"cas","value":[1,2]}'], /3:1: f: cas is not an operation of --model register/, "register"));

  it("a missing file", () => {
    const r = zksim(["check-history", "--model", "register", join(dir, "nope.jsonl")]);
    expect(r.stderr).toMatch(/nope\.jsonl:1:1: no such history file/);
    expect(r.code).toBe(2);
  });

  it("an unknown or missing --model", () => {
    const f = fixture("cas-ok.jsonl");
    const unknown = zksim(["check-history", "--model", "queue", f]);
    expect(unknown.stderr).toMatch(/expected one of register \| cas-register/);
    expect(unknown.code).toBe(2);
    const missing = zksim(["check-history", f]);
    expect(missing.stderr).toMatch(/--model/);
    expect(missing.code).toBe(2);
  });
});
