// The order files start in. Browser files take turns (test/e2e/lib/browser-turn.ts), so with two
// files at a time one runs a browser file while the other works through the rest; a browser file
// that came up while another holds the turn would leave its worker waiting. So the browser files
// are spread through the others in step with their running time: by the last run's durations
// (vitest's cache), or by size on a clean clone. Each list keeps vitest's own order, longest first.
import { stat } from 'node:fs/promises';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isBrowserFile = (spec: TestSpecification) => spec.moduleId.includes('/test/e2e/');

// Without a previous run: a browser test file takes about this many seconds per kilobyte of
// source, and any other about a quarter of it (measured over this suite).
const SECONDS_PER_KB = { browser: 2, other: 0.5 };

export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const estimate = async (spec: TestSpecification) => {
      const cached = this.ctx.cache.getTestSpecificationResult(spec)?.duration;
      if (cached) return cached / 1000;
      const kb = (await stat(spec.moduleId).catch(() => ({ size: 0 }))).size / 1024;
      return kb * (isBrowserFile(spec) ? SECONDS_PER_KB.browser : SECONDS_PER_KB.other);
    };
    const out: TestSpecification[] = [];
    // Interleave within each run of files of the same project (projects keep their places).
    let i = 0;
    while (i < sorted.length) {
      const project = sorted[i]!.project.name;
      let j = i;
      while (j < sorted.length && sorted[j]!.project.name === project) j += 1;
      const group = sorted.slice(i, j);
      const browser = group.filter(isBrowserFile);
      const other = group.filter((s) => !isBrowserFile(s));
      const times = new Map(await Promise.all(group.map(async (s) => [s, await estimate(s)] as const)));
      let browserTime = 0;
      let otherTime = 0;
      while (browser.length || other.length) {
        const next = browser.length && (!other.length || browserTime <= otherTime) ? browser.shift()! : other.shift()!;
        if (isBrowserFile(next)) browserTime += times.get(next)!;
        else otherTime += times.get(next)!;
        out.push(next);
      }
      i = j;
    }
    return out;
  }
}
