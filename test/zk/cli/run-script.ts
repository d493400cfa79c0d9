// Runs a zkCli script the way test/oracle/tools/record.sh recorded it: a fresh standalone server
// (its extra zoo.cfg lines honoured), one zkCli connected to 127.0.0.1:21801, `quit` appended.
import { ZkShell } from "../../../src/zk/cli/shell.js";
import { StoreClient } from "../../../src/zk/cli/store-client.js";
import { ZkStore } from "../../../src/zk/store.js";

export const ORACLE_SERVER = "127.0.0.1:21801";

export type ServerConfig = { readonly extendedTypesEnabled: boolean; readonly enforceQuota: boolean; readonly superDigest: string | null };

/** The zoo.cfg lines the oracle's `.cfg` files use (unknown keys become `zookeeper.<key>` properties). */
export function parseCfg(text: string): ServerConfig {
  let extendedTypesEnabled = false;
  let superDigest: string | null = null;
  let enforceQuota = false;
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "extendedTypesEnabled") extendedTypesEnabled = value === "true";
    if (key === "DigestAuthenticationProvider.superDigest") superDigest = value;
    if (key === "enforceQuota") enforceQuota = value === "true";
  }
  return { extendedTypesEnabled, enforceQuota, superDigest };
}

export function runScript(script: string, cfg: ServerConfig): string {
  const store = new ZkStore({ extendedTypesEnabled: cfg.extendedTypesEnabled, enforceQuota: cfg.enforceQuota });
  const clock = { ms: 1_700_000_000_000 };
  const client = new StoreClient({
    store,
    serverAddress: ORACLE_SERVER,
    host: ORACLE_SERVER,
    clockMs: () => (clock.ms += 1),
    firstSessionId: 0x1000024dfb70000n,
    clientIp: "127.0.0.1",
    superDigest: cfg.superDigest,
  });
  let out = "";
  const shell = new ZkShell(client, (_stream, text) => {
    out += text;
  });
  const lines = script.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of [...lines, "quit"]) shell.executeLine(line);
  return out;
}
