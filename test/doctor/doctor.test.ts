import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/cli.ts';
import { API_KEY_ENV, createDoctorCommand } from '../../scripts/commands/doctor.ts';
import { captureIO } from '../helpers/cli-io.ts';
import { BUFFER_S, type Faults, fakeDeployment } from './fake-deployment.ts';

const KEY = 'ASIAKEY-do-not-print-9f8e7d6c5b4a';
const HOPS = [
  'stack outputs',
  'bearer-token auth',
  'subscription + stream',
  'canary sent',
  'raw log group',
  'firehose delivery',
  'athena row',
];

let deployment: Awaited<ReturnType<typeof fakeDeployment>> | undefined;
afterEach(async () => {
  await deployment?.close();
  deployment = undefined;
});

/** Runs `doctor` against a fake deployment with `faults`; the key comes from the environment. */
async function doctor(faults: Faults = {}, extraArgs: string[] = []) {
  deployment = await fakeDeployment(faults);
  const { io, out, err } = captureIO(process.cwd(), { AWS_REGION: 'us-east-1', [API_KEY_ENV]: KEY });
  const command = createDoctorCommand({ clock: deployment.clock });
  const code = await command.run(['--endpoint', deployment.endpoint, ...extraArgs], io);
  const text = [...out, ...err].join('\n');
  // Whatever happened, the key was never printed.
  expect(text).not.toContain(KEY);
  const marks = Object.fromEntries(
    HOPS.map((hop) => [hop, text.includes(`✓ ${hop}`) ? '✓' : text.includes(`✗ ${hop}`) ? '✗' : '-']),
  );
  return { code, text, marks, deployment };
}

describe('doctor, every hop holding', () => {
  it('sends a Claude Code-shaped canary with the key, follows it into Athena, exits 0', async () => {
    const { code, text, marks } = await doctor();
    expect(code).toBe(0);
    expect(Object.values(marks)).toEqual(HOPS.map(() => '✓'));
    expect(text).toContain('every hop holds.');
    // The wait is announced with its bound: buffer 900 s + 60 s + 5 min = 21 min.
    expect(text).toContain('waiting up to 21 min');
    expect(text).toMatch(
      /… waiting for the canary \(in the raw log group, not yet in Athena\): \d+:\d\d of up to 21:00/,
    );

    const [request] = deployment!.received;
    expect(deployment!.received).toHaveLength(1);
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.headers['x-aws-log-group']).toBe('/claude-otel/raw');
    expect(request!.headers['x-aws-log-stream']).toBe('claude-code');
    const body = JSON.parse(request!.body);
    const scope = body.resourceLogs[0].scopeLogs[0];
    expect(scope.scope.name).toBe('com.anthropic.claude_code.events');
    const record = scope.logRecords[0];
    expect(record.body).toEqual({ stringValue: 'claude_code.doctor_canary' });
    const attrs = Object.fromEntries(
      record.attributes.map((a: { key: string; value: { stringValue: string } }) => [
        a.key,
        a.value.stringValue,
      ]),
    );
    expect(attrs['event.name']).toBe('doctor_canary');
    expect(attrs['session.id']).toMatch(/^doctor-[0-9a-f]{24}$/);
    // Athena was asked for exactly this canary, in its arrival days.
    const query = deployment!.queries.at(-1)!;
    expect(query.sql).toContain('FROM "events" WHERE dt BETWEEN ? AND ?');
    expect(query.params).toEqual([
      "'2026-12-01'",
      "'2026-12-01'",
      "'doctor_canary'",
      `'${attrs['session.id']}'`,
    ]);
    // It found the row once the buffer interval had passed, not before.
    expect(deployment!.clock.now() - Date.parse('2026-12-01T10:00:00Z')).toBeGreaterThanOrEqual(
      BUFFER_S * 1000,
    );
  });

  it('runs from the CLI registry, lazily loading its AWS clients', async () => {
    deployment = await fakeDeployment();
    const { io, out } = captureIO(process.cwd(), { AWS_REGION: 'us-east-1' });
    expect(await runCli(['doctor', '--no-send'], io)).toBe(0);
    expect(out.join('\n')).toContain('✓ subscription + stream');
  });
});

describe('doctor --no-send', () => {
  it('checks the configuration only: no request to the endpoint, exit 0', async () => {
    const { code, text, marks } = await doctor({}, ['--no-send']);
    expect(code).toBe(0);
    expect(marks).toMatchObject({
      'stack outputs': '✓',
      'bearer-token auth': '✓',
      'subscription + stream': '✓',
    });
    expect(marks['canary sent']).toBe('-');
    expect(deployment!.received).toHaveLength(0);
    expect(text).toContain('no canary sent');
  });
});

describe('doctor, each hop failing with its own message', () => {
  it('stack outputs: the stack is not there', async () => {
    const { code, text, marks } = await doctor({ stackMissing: true });
    expect(code).toBe(1);
    expect(marks['stack outputs']).toBe('✗');
    expect(text).toContain(
      'cannot read stack claude-otel-lake: ValidationError: Stack with id claude-otel-lake does not exist',
    );
    expect(text).toContain('fix: check the region');
    expect(marks['bearer-token auth']).toBe('-');
  });

  it('bearer-token auth: off on the raw log group, so nothing is sent', async () => {
    const { code, text, marks } = await doctor({ bearerOff: true });
    expect(code).toBe(1);
    expect(marks['bearer-token auth']).toBe('✗');
    expect(text).toContain('/claude-otel/raw has bearer token authentication off');
    expect(text).toContain('put-bearer-token-authentication --log-group-identifier /claude-otel/raw');
    expect(deployment!.received).toHaveLength(0);
  });

  it('subscription + stream: the stream is not ACTIVE', async () => {
    const { code, text, marks } = await doctor({ streamStatus: 'CREATING' });
    expect(code).toBe(1);
    expect(marks['subscription + stream']).toBe('✗');
    expect(text).toContain('is CREATING');
  });

  it('subscription + stream: no filter sends to the stream', async () => {
    const { code, text } = await doctor({ noSubscription: true });
    expect(code).toBe(1);
    expect(text).toContain('no subscription filter of /claude-otel/raw sends to');
  });

  it('canary sent: the endpoint refuses the key', async () => {
    const { code, text, marks } = await doctor({ endpointStatus: 403 });
    expect(code).toBe(1);
    expect(marks['canary sent']).toBe('✗');
    expect(text).toContain('answered HTTP 403');
    expect(text).toContain('the API key is wrong, expired');
    expect(marks['raw log group']).toBe('-');
  });

  it('canary sent: no API key given', async () => {
    deployment = await fakeDeployment();
    const { io, out } = captureIO(process.cwd(), { AWS_REGION: 'us-east-1' });
    const code = await createDoctorCommand({ clock: deployment.clock }).run(
      ['--endpoint', deployment.endpoint],
      io,
    );
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(`✗ canary sent`);
    expect(out.join('\n')).toContain(`set ${API_KEY_ENV}`);
  });

  it('raw log group: accepted but never stored, reported when the wait runs out', async () => {
    const { code, text, marks } = await doctor({ notStored: true });
    expect(code).toBe(1);
    expect(marks['canary sent']).toBe('✓');
    expect(marks['raw log group']).toBe('✗');
    expect(text).toMatch(/doctor-[0-9a-f]{24} is not in \/claude-otel\/raw after 21:00/);
    // It waited the whole announced bound on the virtual clock, no longer.
    expect(deployment!.clock.now() - Date.parse('2026-12-01T10:00:00Z')).toBe(21 * 60_000);
  });

  it('firehose delivery: the transform rejected records (errors/processing-failed/)', async () => {
    const { code, text, marks } = await doctor({ errorPrefix: 'processing-failed' });
    expect(code).toBe(1);
    expect(marks['firehose delivery']).toBe('✗');
    expect(text).toContain('1 under errors/processing-failed/');
    expect(text).toContain('the transform rejected records');
  });

  it('firehose delivery: Parquet conversion rejected rows (errors/format-conversion-failed/)', async () => {
    const { code, text } = await doctor({ errorPrefix: 'format-conversion-failed' });
    expect(code).toBe(1);
    expect(text).toContain('1 under errors/format-conversion-failed/');
    expect(text).toContain('Parquet conversion rejected rows');
  });

  it('firehose delivery: nothing reaches the stream from the subscription', async () => {
    const { code, text, marks } = await doctor({ noIncoming: true });
    expect(code).toBe(1);
    expect(marks['raw log group']).toBe('✓');
    expect(marks['firehose delivery']).toBe('✗');
    expect(text).toContain('received no records in 21:00 though the canary is in the raw log group');
  });

  it('athena row: delivered, yet not a row of the events table', async () => {
    const { code, text, marks } = await doctor({ noRow: true });
    expect(code).toBe(1);
    expect(marks['firehose delivery']).toBe('✓');
    expect(marks['athena row']).toBe('✗');
    expect(text).toMatch(/Firehose wrote to S3 but doctor-[0-9a-f]{24} is not a row of claude_otel\.events/);
  });
});

describe('doctor flags', () => {
  it('needs a region', async () => {
    const { io, err } = captureIO(process.cwd(), {});
    expect(await runCli(['doctor'], io)).toBe(2);
    expect(err.join('\n')).toContain('no region: pass --region or set AWS_REGION');
  });
});
