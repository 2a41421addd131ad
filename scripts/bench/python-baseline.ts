import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { COLUMNS, MAX_STRING_LENGTH } from '../../functions/schema/columns.ts';
import { TOOL_PARAMETER_KEYS } from '../../functions/schema/tool-parameters.ts';

const SCRIPT = fileURLToPath(new URL('./seed_sanitizer.py', import.meta.url));

/**
 * The seed-style Python sanitizer (seed_sanitizer.py) as a long-lived python3 process, so a
 * benchmark can alternate it run by run with the TypeScript transform: `run(name)` resolves to
 * the milliseconds Python measured for one pass over the workload (interpreter start excluded).
 * It gets the same column list, so both keep exactly the same keys.
 */
export class PythonBaseline {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly lines: Interface;
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];

  constructor(
    inputPath: string,
    workloads: Readonly<Record<string, readonly FirehoseTransformationEvent[]>>,
  ) {
    writeFileSync(
      inputPath,
      JSON.stringify({
        columns: COLUMNS,
        toolParameterKeys: TOOL_PARAMETER_KEYS,
        maxString: MAX_STRING_LENGTH,
        workloads,
      }),
    );
    this.child = spawn('python3', [SCRIPT, inputPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`python3 exited (${code})`));
    });
  }

  private ask(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${command}\n`);
    });
  }

  async run(workload: string): Promise<number> {
    return Number(await this.ask(`run ${workload}`));
  }

  /** Python's responses for the workload, one per invocation. */
  async responses(workload: string, path: string): Promise<FirehoseTransformationResult[]> {
    await this.ask(`dump ${workload} ${path}`);
    return JSON.parse(readFileSync(path, 'utf8')) as FirehoseTransformationResult[];
  }

  close(): void {
    this.child.stdin.end('quit\n');
    this.lines.close();
  }
}

/** Rows of a response, decoded (base64 -> JSON lines -> objects), in record order. */
export function responseRows(response: FirehoseTransformationResult): unknown[] {
  const rows: unknown[] = [];
  for (const record of response.records) {
    if (record.result !== 'Ok') continue;
    for (const line of Buffer.from(record.data ?? '', 'base64')
      .toString('utf8')
      .split('\n')) {
      if (line) rows.push(JSON.parse(line));
    }
  }
  return rows;
}
