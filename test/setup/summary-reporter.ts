// Prints one closing line, "tests: N passed, N failed", that CI and people can read at a glance,
// preceded by the slowest files: the suite has a time budget, and this says where it goes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const SLOWEST = 8;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && ![...mod.children.allTests()].length) failed++;
    }
    failed += unhandledErrors.length;
    const durations = modules
      .map((mod) => ({ file: relative(process.cwd(), mod.moduleId), seconds: mod.diagnostic().duration / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    // Every file's time, for whoever shortens the suite next (test-results/ is not committed).
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/durations.txt', durations.map((d) => `${d.seconds.toFixed(1)}\t${d.file}`).join('\n') + '\n');
    const slowest = durations.slice(0, SLOWEST);
    if (slowest.length > 1) {
      process.stdout.write(`\nslowest files (s): ${slowest.map((s) => `${s.file} ${s.seconds.toFixed(0)}`).join(', ')}\n`);
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
