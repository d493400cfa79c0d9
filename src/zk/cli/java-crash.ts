/**
 * The uncaught exceptions that end the real zkCli 3.8.0 (test/oracle/zkcli-crash): a non-numeric
 * `-v` or `redo` index (NumberFormatException) and an invalid addWatch path (IllegalArgumentException
 * from ZooKeeper.addWatch, which AddWatchCommand does not catch). The traces are the recorded ones;
 * the Integer.parseInt frame is the one for a non-digit character, and other failures inside
 * parseInt (empty string, overflow) would show other JDK line numbers there.
 */
const MAIN_FRAMES: readonly string[] = [
  "\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)",
  "\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)",
  "\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:345)",
  "\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)",
];
const EXEC_FRAME = "\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:438)";

const parseIntFrames = (input: string): string[] => [
  `Exception in thread "main" java.lang.NumberFormatException: For input string: "${input}"`,
  "\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
  "\tat java.base/java.lang.Integer.parseInt(Integer.java:668)",
];

/** `Integer.parseInt(value)` inside a command's exec (`SetCommand.java:69` and the like). */
export const parseIntCrash = (input: string, execFrame: string): string[] => [
  ...parseIntFrames(input),
  "\tat java.base/java.lang.Integer.parseInt(Integer.java:786)",
  `\tat org.apache.zookeeper.cli.${execFrame}`,
  EXEC_FRAME,
  ...MAIN_FRAMES,
];

/** `Integer.decode(args[1])` of `redo`, in ZooKeeperMain itself. */
export const redoDecodeCrash = (input: string): string[] => [
  ...parseIntFrames(input),
  "\tat java.base/java.lang.Integer.valueOf(Integer.java:973)",
  "\tat java.base/java.lang.Integer.decode(Integer.java:1458)",
  "\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:397)",
  ...MAIN_FRAMES,
];

/** The PathUtils.validatePath line that throws each message. */
function pathUtilsLine(message: string): number {
  if (message === "Path cannot be null") return 43;
  if (message === "Path length must be > 0") return 46;
  if (message === "Path must start with / character") return 49;
  if (message === "Path must not end with / character") return 55;
  return 91;
}

/** PathUtils.validatePath's IllegalArgumentException, thrown up through `frames`. */
const validatePathCrash = (message: string, frames: readonly string[]): string[] => [
  `Exception in thread "main" java.lang.IllegalArgumentException: ${message}`,
  `\tat org.apache.zookeeper.common.PathUtils.validatePath(PathUtils.java:${pathUtilsLine(message)})`,
  ...frames,
];

export const addWatchPathCrash = (message: string): string[] =>
  validatePathCrash(message, [
  "\tat org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2808)",
  "\tat org.apache.zookeeper.ZooKeeper.addWatch(ZooKeeper.java:2840)",
  "\tat org.apache.zookeeper.cli.AddWatchCommand.exec(AddWatchCommand.java:77)",
  EXEC_FRAME,
  ...MAIN_FRAMES,
  ]);

/** `new StatsTrack(byte[])` of a quota node without a value (`ListQuotaCommand.listQuota`, 3.8.0 lines). */
export const listQuotaIndexCrash = (index: number, length: number, statNode: boolean): string[] => [
  `Exception in thread "main" java.lang.ArrayIndexOutOfBoundsException: Index ${index} out of bounds for length ${length}`,
  "\tat org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:74)",
  "\tat org.apache.zookeeper.StatsTrack.<init>(StatsTrack.java:57)",
  `\tat org.apache.zookeeper.cli.ListQuotaCommand.listQuota(ListQuotaCommand.java:${statNode ? 97 : 93})`,
  "\tat org.apache.zookeeper.cli.ListQuotaCommand.exec(ListQuotaCommand.java:68)",
  EXEC_FRAME,
  ...MAIN_FRAMES,
];

/**
 * `connect` with an invalid chroot: ZooKeeperMain.connectToZK has closed the old session, then the new
 * ZooKeeperAdmin's ConnectStringParser throws.
 */
export const connectChrootCrash = (message: string): string[] =>
  validatePathCrash(message, [
  "\tat org.apache.zookeeper.client.ConnectStringParser.<init>(ConnectStringParser.java:61)",
  "\tat org.apache.zookeeper.ZooKeeper.createDefaultHostProvider(ZooKeeper.java:1135)",
  "\tat org.apache.zookeeper.ZooKeeper.<init>(ZooKeeper.java:802)",
  "\tat org.apache.zookeeper.admin.ZooKeeperAdmin.<init>(ZooKeeperAdmin.java:172)",
  "\tat org.apache.zookeeper.ZooKeeperMain.connectToZK(ZooKeeperMain.java:281)",
  "\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:422)",
  ...MAIN_FRAMES,
  ]);
