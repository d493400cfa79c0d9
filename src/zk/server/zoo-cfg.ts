import type { StandaloneConfig } from "./standalone-server.js";

export type ZooCfgResult = { readonly ok: true; readonly cfg: Partial<StandaloneConfig> } | { readonly ok: false; readonly line: number; readonly message: string };

const intValue = (v: string): number | null => (/^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : null);

/**
 * The zoo.cfg keys a standalone server honours (`QuorumPeerConfig.parseProperties`): tickTime,
 * min/maxSessionTimeout, clientPort, and the keys that become `zookeeper.*` system properties
 * (extendedTypesEnabled, enforceQuota, DigestAuthenticationProvider.superDigest,
 * 4lw.commands.whitelist, snapCount). Other keys are accepted and ignored; `#` lines are comments.
 */
export function parseZooCfg(text: string): ZooCfgResult {
  const cfg: { -readonly [K in keyof StandaloneConfig]?: StandaloneConfig[K] } = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) return { ok: false, line: i + 1, message: `expected key=value, got ${JSON.stringify(line)}` };
    const key = line.slice(0, eq).trim().replace(/^zookeeper\./, "");
    const value = line.slice(eq + 1).trim();
    const int = (): number | null => intValue(value);
    switch (key) {
      case "tickTime":
      case "minSessionTimeout":
      case "maxSessionTimeout":
      case "clientPort": {
        const n = int();
        if (n === null) return { ok: false, line: i + 1, message: `${key} must be an integer, got ${JSON.stringify(value)}` };
        if (key === "tickTime") cfg.tickTimeMs = n;
        if (key === "minSessionTimeout") cfg.minSessionTimeoutMs = n;
        if (key === "maxSessionTimeout") cfg.maxSessionTimeoutMs = n;
        if (key === "clientPort") cfg.clientPort = n;
        break;
      }
      case "extendedTypesEnabled":
        cfg.extendedTypesEnabled = value === "true";
        break;
      case "enforceQuota":
        cfg.enforceQuota = value === "true";
        break;
      case "DigestAuthenticationProvider.superDigest":
        cfg.superDigest = value;
        break;
      case "snapCount": {
        // `Integer.getInteger("zookeeper.snapCount", 100000)`: a value that is not an integer
        // leaves the default, quietly; below 2 reads as 2 (snapshots.ts).
        const n = int();
        if (n !== null) cfg.snapCount = n;
        break;
      }
      case "4lw.commands.whitelist":
        // Kept as written: FourLetterCommands.isEnabled splits and trims it (four-letter-words.ts).
        cfg.fourLetterWordWhitelist = value;
        break;
      default:
        break;
    }
  }
  if ((cfg.tickTimeMs ?? 1) <= 0) return { ok: false, line: 0, message: "tickTime must be positive" };
  return { ok: true, cfg };
}
