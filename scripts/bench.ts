import { cpus, totalmem } from 'node:os';
import { type BenchSuite, markdownTable } from './bench/bench-kit.ts';
import { SUITES } from './bench/suites.ts';

/**
 * `npm run bench [suite ...]`: runs the benchmark suites in one process and prints Markdown to
 * paste into BENCHMARKS.md, headed by the machine it ran on.
 */
const wanted = process.argv.slice(2);
const suites: readonly BenchSuite[] = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Machine: ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log(`Date: ${new Date().toISOString()}\n`);
for (const suite of suites) {
  for (const section of await suite.run()) {
    console.log(`### ${section.title}\n`);
    console.log(markdownTable(section.rows));
    for (const note of section.notes ?? []) console.log(`\n${note}`);
    console.log('');
  }
}
