import { addAuthCommand, getAclCommand, setAclCommand, whoAmICommand } from "./acl-commands.js";
import type { CliCommand } from "./command.js";
import {
  closeCommand,
  configCommand,
  getAllChildrenNumberCommand,
  getEphemeralsCommand,
  syncCommand,
  versionCommand,
} from "./info-commands.js";
import { createCommand, deleteAllCommand, deleteCommand, getCommand, lsCommand, setCommand, statCommand } from "./node-commands.js";
import { delQuotaCommand, listQuotaCommand, setQuotaCommand } from "./quota-commands.js";
import { reconfigCommand } from "./reconfig-command.js";
import { addWatchCommand, removeWatchesCommand } from "./watch-commands.js";

/** The CliCommands of `cli/CommandFactory`. */
export const CLI_COMMANDS: readonly CliCommand[] = Object.freeze([
  addAuthCommand,
  addWatchCommand,
  closeCommand,
  configCommand,
  createCommand,
  deleteAllCommand,
  deleteCommand,
  delQuotaCommand,
  getAclCommand,
  getAllChildrenNumberCommand,
  getCommand,
  getEphemeralsCommand,
  listQuotaCommand,
  lsCommand,
  reconfigCommand,
  removeWatchesCommand,
  setAclCommand,
  setCommand,
  setQuotaCommand,
  statCommand,
  syncCommand,
  versionCommand,
  whoAmICommand,
]);

/** The commands ZooKeeperMain handles itself, with their usage option strings. */
export const SHELL_COMMANDS: Readonly<Record<string, string>> = Object.freeze({
  connect: "host:port",
  history: "",
  redo: "cmdno",
  printwatches: "on|off",
  quit: "",
});

export function findCliCommand(name: string): CliCommand | undefined {
  return CLI_COMMANDS.find((c) => c.name === name);
}

/** ZooKeeperMain's commandMap key set. */
export const isKnownCommand = (name: string): boolean => Object.hasOwn(SHELL_COMMANDS, name) || findCliCommand(name) !== undefined;

/** `ZooKeeperMain.usage()` (stderr): the invocation line, then every command sorted by name. */
export function usageLines(): string[] {
  const entries: [string, string][] = [...Object.entries(SHELL_COMMANDS), ...CLI_COMMANDS.map((c): [string, string] => [c.name, c.optionStr])];
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return ["ZooKeeper -server host:port -client-configuration properties-file cmd args", ...entries.map(([n, o]) => `\t${n} ${o}`)];
}
