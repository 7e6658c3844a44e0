// A load generator for writes whose bodies change from request to request (autocannon's own CLI
// repeats one body): round-robin over targets, each target's `version` carried from its last
// answer into its next body, so optimistic-concurrency writes (disposition PUT, comment PATCH)
// succeed request after request instead of measuring 409s. Runs in its own process, as loadHttp's
// autocannon does. Input: one JSON argument (ScriptedLoad); output: autocannon's JSON result.
import autocannon, { type Request } from 'autocannon';

export interface ScriptedLoad {
  base: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  targets: Array<{ path: string; body: Record<string, unknown> }>;
  /** The body field that carries the version read last (e.g. expectedVersion), if any. */
  versionField?: string;
  /** Each target's version to start from (index-aligned with targets). */
  versions?: number[];
  connections: number;
  seconds: number;
}

const load = JSON.parse(process.argv[2]!) as ScriptedLoad;
const versions = load.versions ? [...load.versions] : load.targets.map(() => 0);
let next = 0;
/** Targets with a request on its way: the next request takes another (its version would be stale). */
const busy = new Set<number>();
let logged = 0;

const result = await autocannon({
  url: load.base,
  connections: load.connections,
  duration: load.seconds,
  requests: [
    {
      method: load.method,
      headers: load.headers,
      setupRequest: (request: Request, context: object) => {
        let i = next++ % load.targets.length;
        for (let tries = 0; busy.has(i) && tries < load.targets.length; tries++) i = next++ % load.targets.length;
        busy.add(i);
        (context as { target: number }).target = i;
        const target = load.targets[i]!;
        const body = load.versionField ? { ...target.body, [load.versionField]: versions[i] } : target.body;
        return { ...request, path: target.path, body: JSON.stringify(body) };
      },
      onResponse: (status: number, body: string, context: object) => {
        busy.delete((context as { target: number }).target);
        if (status === 409 && process.env.BENCH_STATUS && logged++ < 3)
          process.stderr.write(
            `409 target ${(context as { target: number }).target} sent ${versions[(context as { target: number }).target]}: ${body.slice(0, 300)}\n`,
          );
        if (!load.versionField || status >= 300) return;
        const version = (JSON.parse(body) as { version?: number }).version;
        if (typeof version === 'number') versions[(context as { target: number }).target] = version;
      },
    },
  ],
});
process.stdout.write(JSON.stringify(result));
