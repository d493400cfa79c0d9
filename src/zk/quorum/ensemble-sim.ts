import { clientNode } from "../client/client-node.js";
import { SimClient } from "../client/sim-client.js";
import { nodeOfSid } from "./config.js";
import { Ensemble, type EnsembleOptions, type ServerStatus } from "./ensemble.js";

export const ENSEMBLE_CLIENT_ID = "c1";

export type EnsembleSimOptions = EnsembleOptions & { readonly sessionTimeoutMs?: number };

/**
 * An ensemble and one zkCli client on a simulated world: what `zksim shell --servers N` runs. The
 * ensemble starts and elects before the client connects (zkCli.sh is started against a running
 * ensemble); the client's connect string lists every server, and it fails over as the real one does.
 */
export class EnsembleSim {
  readonly ensemble: Ensemble;
  readonly client: SimClient;
  readonly connectString: string;

  constructor(opts: EnsembleSimOptions) {
    this.ensemble = new Ensemble(opts);
    const world = this.ensemble.world;
    this.ensemble.settle(60_000);
    const servers = new Map(this.ensemble.cfg.servers.map((s) => [`127.0.0.1:${s.clientPort}`, nodeOfSid(s.sid)]));
    this.connectString = [...servers.keys()].join(",");
    world.addNode(ENSEMBLE_CLIENT_ID, clientNode);
    world.start(ENSEMBLE_CLIENT_ID);
    this.client = new SimClient({
      world,
      clientId: ENSEMBLE_CLIENT_ID,
      servers,
      host: this.connectString,
      ...(opts.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: opts.sessionTimeoutMs }),
    });
  }

  get sids(): number[] {
    return this.ensemble.sids;
  }

  advance(ms: number): void {
    this.client.pump(this.ensemble.world.now + ms * 1000);
  }

  crash(sid: number): void {
    this.ensemble.world.crash(nodeOfSid(sid));
  }

  restart(sid: number): void {
    this.ensemble.world.restart(nodeOfSid(sid));
  }

  alive(sid: number): boolean {
    return this.ensemble.world.isAlive(nodeOfSid(sid));
  }

  /** Sides of server ids; the client reaches everyone. */
  partition(sides: readonly (readonly number[])[]): void {
    this.ensemble.world.partition(sides.map((side) => side.map(nodeOfSid)));
  }

  /** Messages from `from` to `to` are lost; the other direction works. */
  oneWay(from: readonly number[], to: readonly number[]): void {
    this.ensemble.world.oneWay(from.map(nodeOfSid), to.map(nodeOfSid));
  }

  heal(): void {
    this.ensemble.world.heal();
  }

  pause(sid: number, ms: number): void {
    this.ensemble.world.pause(nodeOfSid(sid), ms * 1000);
  }

  status(): ServerStatus[] {
    return this.sids.map((sid) => this.ensemble.status(sid));
  }

  fourLetterWord(sid: number, word: string): string | null {
    return this.ensemble.fourLetterWord(sid, word);
  }
}
