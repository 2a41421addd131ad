import type { DoctorClients, DoctorClock, HopResult } from '../../functions/doctor/hop.ts';
import { type Command, parseFlags, UsageError } from '../cli-kit.ts';

const OPTIONS = {
  region: { type: 'string' },
  stack: { type: 'string' },
  prefix: { type: 'string', default: 'claude-otel' },
  'api-key': { type: 'string' },
  endpoint: { type: 'string' },
  'no-send': { type: 'boolean', default: false },
  'slack-minutes': { type: 'string', default: '5' },
} as const;

/** Environment variable holding the writer's API key (preferred over --api-key: no shell history). */
export const API_KEY_ENV = 'CLAUDE_OTEL_LAKE_API_KEY';

/** What tests replace: the AWS clients (aws-sdk-client-mock) and time (no real waiting). */
export interface DoctorSeams {
  readonly clients?: (region: string) => Promise<DoctorClients>;
  readonly clock?: DoctorClock;
}

/** `✓ raw log group  …` or `✗ raw log group  …` plus an indented `fix:` line. */
function formatHop(result: HopResult): string {
  const line = `${result.ok ? '✓' : '✗'} ${result.hop.padEnd(22)} ${result.detail}`;
  return result.ok || !result.fix ? line : `${line}\n    fix: ${result.fix}`;
}

export function createDoctorCommand(seams: DoctorSeams = {}): Command {
  return {
    name: 'doctor',
    summary: 'Prove the deployed AWS pipeline end to end, hop by hop',
    usage: `Usage: claude-otel-lake doctor [--region R] [--stack NAME | --prefix P] [--no-send]
                              [--api-key KEY] [--endpoint URL] [--slack-minutes N]

Run after \`npx cdk deploy\`, with the deploying (admin) credentials. Checks, each with ✓ or ✗
and what to fix: the stack's outputs; bearer-token auth on the raw log group; the subscription
filter and the ACTIVE delivery stream. Then sends one canary event (claude_code.doctor_canary,
counted by no named query) through the CloudWatch Logs OTLP endpoint with the writer's API key,
and follows it: raw log group, Firehose (error prefixes, delivery metrics), a row in Athena. The
wait is up to the stream's buffer interval + 60 s + the slack (15 + 1 + 5 min by default).

  --region R         the stack's region (default AWS_REGION, then AWS_DEFAULT_REGION)
  --stack NAME       the CloudFormation stack (default <prefix>-lake)
  --prefix P         the prefix of cdk.json (default claude-otel)
  --api-key KEY      the writer's API key; better: set ${API_KEY_ENV}. Never printed.
  --endpoint URL     OTLP logs URL (default the stack's OtlpLogsEndpoint output)
  --no-send          check the configuration only; send nothing
  --slack-minutes N  minutes to wait beyond the buffer intervals (default 5)

Exit code 0 only when every hop holds.`,
    async run(args, io) {
      const { values } = parseFlags(args, OPTIONS);
      if (values.help) {
        io.out(this.usage);
        return 0;
      }
      const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
      if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
      const slack = Number(values['slack-minutes']);
      if (!Number.isFinite(slack) || slack < 0 || slack > 120) {
        throw new UsageError(
          `--slack-minutes must be a number from 0 to 120; got "${values['slack-minutes']}"`,
        );
      }
      const apiKey = values['api-key'] ?? io.env[API_KEY_ENV];
      // Every line goes through here: the key never reaches the terminal, whatever a service says.
      // (Real keys are long; a few characters would only mangle ordinary words.)
      const redact = (text: string) =>
        apiKey && apiKey.length >= 8 ? text.split(apiKey).join('<API_KEY>') : text;
      const [{ runDoctor }, { createClients, destroyClients }, { realClock }] = await Promise.all([
        import('../../functions/doctor/doctor.ts'),
        import('../../functions/doctor/clients.ts'),
        import('../../functions/doctor/hop.ts'),
      ]);
      const clients = await (seams.clients ?? createClients)(region);
      const stackName = values.stack ?? `${values.prefix}-lake`;
      io.out(`claude-otel-lake doctor: stack ${stackName} in ${region}`);
      try {
        const ok = await runDoctor(
          {
            stackName,
            send: !values['no-send'],
            slackMs: slack * 60_000,
            ...(apiKey ? { apiKey } : {}),
            ...(values.endpoint ? { endpointUrl: values.endpoint } : {}),
          },
          {
            clients,
            clock: seams.clock ?? realClock,
            report: (result) => io.out(redact(formatHop(result))),
            progress: (line) => io.out(redact(line)),
          },
        );
        io.out(ok ? 'every hop holds.' : 'doctor found a broken hop (✗ above).');
        return ok ? 0 : 1;
      } finally {
        if (!seams.clients) destroyClients(clients);
      }
    },
  };
}

export const doctorCommand = createDoctorCommand();
