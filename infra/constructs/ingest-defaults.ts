/**
 * Lets the writer authenticate with its API key. It authorizes no operation by itself, and the
 * CloudWatch Logs guide ("Setting up bearer token authentication") and the managed policy
 * `CloudWatchLogsAPIKeyAccess` grant it on `"*"` only: no log-group scoping of it is documented,
 * and a scoping the service does not evaluate would deny every request of every member.
 */
export const BEARER_ACTION = 'logs:CallWithBearerToken';

/** The only data actions the API-key writer may perform, and only on the raw log group. */
export const WRITER_ACTIONS = ['logs:PutLogEvents', 'logs:CreateLogStream'] as const;

/** Service name of CloudWatch Logs API keys (IAM service-specific credentials). */
export const LOGS_API_KEY_SERVICE = 'logs.amazonaws.com';

/** Days until a new API key expires, as the README's command creates it. */
export const API_KEY_AGE_DAYS = 90;

/** The OTLP/HTTP base URL; exporters append `/v1/logs`. */
export function otlpEndpoint(region: string): string {
  return `https://logs.${region}.amazonaws.com`;
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS` for one member, with the key left as a placeholder:
 * `Authorization=Bearer <API_KEY>,x-aws-log-group=/claude-otel/raw,x-aws-log-stream=claude-code`.
 */
export function otlpHeadersTemplate(logGroupName: string, logStreamName: string): string {
  return `Authorization=Bearer <API_KEY>,x-aws-log-group=${logGroupName},x-aws-log-stream=${logStreamName}`;
}

/** The AWS CLI command that creates the writer's API key and prints only its secret. */
export function createApiKeyCommand(userName: string, region: string): string {
  return [
    'aws iam create-service-specific-credential',
    `--user-name ${userName}`,
    `--service-name ${LOGS_API_KEY_SERVICE}`,
    `--credential-age-days ${API_KEY_AGE_DAYS}`,
    '--query ServiceSpecificCredential.ServiceCredentialSecret --output text',
    `--region ${region}`,
  ].join(' ');
}
