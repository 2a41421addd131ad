/** Why a request body is not an OTLP logs request (HTTP 400). Messages never quote the body. */
export type OtlpDecodeErrorCode = 'bad-protobuf' | 'bad-json' | 'bad-shape';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
