import { describe, expect, it } from 'vitest';
import { decodeLogsRequest, encodingOf } from '../../functions/otlp/otlp-decode.ts';
import { OtlpDecodeError } from '../../functions/otlp/otlp-errors.ts';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import { encodeExportLogsResponse, encodeStatus } from '../../functions/otlp/otlp-response.ts';
import { protobufBody } from '../helpers/otlp-requests.ts';

const request = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
      scopeLogs: [
        {
          scope: { name: 'com.anthropic.claude_code.events', version: '2.1.130' },
          logRecords: [
            {
              timeUnixNano: '1767607200123456789',
              observedTimeUnixNano: '1767607201000000000',
              severityNumber: 9,
              body: { stringValue: 'claude_code.api_request' },
              traceId: '5B8EFFF798038103D269B633813FC60C',
              attributes: [
                { key: 'input_tokens', value: { intValue: 3 } },
                { key: 'big', value: { intValue: '9007199254740993' } },
                { key: 'cost_usd', value: { doubleValue: 0.25 } },
                { key: 'empty', value: { stringValue: '' } },
                { key: 'flag', value: { boolValue: false } },
                { key: 'blob', value: { bytesValue: 'c2VjcmV0' } },
                { key: 'list', value: { arrayValue: { values: [{ stringValue: 'secret' }] } } },
                { key: '__proto__', value: { stringValue: 'plain data' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('decodeLogsRequest', () => {
  it('gives identical records for protobuf and JSON, with canonical values', () => {
    const { traceId: _t, ...withoutTrace } = request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    const protoRequest = {
      resourceLogs: [
        {
          ...request.resourceLogs[0],
          scopeLogs: [{ ...request.resourceLogs[0]!.scopeLogs[0], logRecords: [withoutTrace] }],
        },
      ],
    };
    const fromProto = decodeLogsRequest('protobuf', protobufBody(protoRequest));
    const fromJson = decodeLogsRequest('json', Buffer.from(JSON.stringify(request)));
    expect(fromProto.records).toEqual(fromJson.records);
    const record = fromJson.records[0]!;
    expect(record.body).toBe('claude_code.api_request');
    expect(record.timeMs).toBe(1767607200123);
    expect(record.scopeName).toBe('com.anthropic.claude_code.events');
    expect(record.resource['service.name']).toBe('claude-code');
    expect({ ...record.attributes }).toMatchObject({
      input_tokens: 3,
      big: '9007199254740993',
      cost_usd: 0.25,
      empty: '',
      flag: false,
    });
    expect(record.attributes.blob).toEqual({});
    expect(record.attributes.list).toEqual({});
    expect(Object.getPrototypeOf(record.attributes)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(record.attributes, '__proto__')?.value).toBe('plain data');
    expect(fromProto.sizeOf(0)).toBeGreaterThan(20);
    expect(fromJson.sizeOf(0)).toBeGreaterThan(20);
  });

  it('reads the proto field names (snake_case) and string intValues in JSON', () => {
    const snake = {
      resource_logs: [
        {
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: 1767607200000000000,
                  body: { string_value: 'claude_code.user_prompt' },
                  attributes: [{ key: 'prompt_length', value: { int_value: '12' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const { records } = decodeLogsRequest('json', Buffer.from(JSON.stringify(snake)));
    expect(records[0]).toMatchObject({ body: 'claude_code.user_prompt', timeMs: 1767607200000 });
    expect(records[0]!.attributes.prompt_length).toBe(12);
  });

  it('marks a log record that is not an object as null, and rejects broken shapes', () => {
    const { records } = decodeLogsRequest(
      'json',
      Buffer.from('{"resourceLogs":[{"scopeLogs":[{"logRecords":[1,{}]}]}]}'),
    );
    expect(records[0]).toBeNull();
    expect(records[1]).not.toBeNull();
    for (const body of [
      '{',
      '[]',
      '"x"',
      '{"resourceLogs":5}',
      '{"resourceLogs":[{"scopeLogs":{}}]}',
      '\xff\xfe',
    ]) {
      expect(() => decodeLogsRequest('json', Buffer.from(body, 'latin1'))).toThrow(OtlpDecodeError);
    }
    expect(() => decodeLogsRequest('protobuf', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]))).toThrow(
      OtlpDecodeError,
    );
    expect(decodeLogsRequest('json', Buffer.from('{}')).records).toEqual([]);
    expect(decodeLogsRequest('protobuf', Buffer.alloc(0)).records).toEqual([]);
  });

  it('recognises the media types', () => {
    expect(encodingOf('application/x-protobuf')).toBe('protobuf');
    expect(encodingOf('application/json; charset=utf-8')).toBe('json');
    expect(encodingOf('text/plain')).toBeNull();
    expect(encodingOf(undefined)).toBeNull();
  });
});

describe('responses', () => {
  it('encodes partial success in both encodings and leaves it out when nothing was rejected', () => {
    const partial = { rejectedLogRecords: 2, errorMessage: 'invalid event name (2)' };
    expect(JSON.parse(Buffer.from(encodeExportLogsResponse('json', partial)).toString())).toEqual({
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'invalid event name (2)' },
    });
    expect(
      Buffer.from(encodeExportLogsResponse('json', { rejectedLogRecords: 0, errorMessage: '' })).toString(),
    ).toBe('{}');
    const { ExportLogsServiceResponse, Status } = otlpTypes();
    const decoded = ExportLogsServiceResponse.toObject(
      ExportLogsServiceResponse.decode(encodeExportLogsResponse('protobuf', partial)),
      { longs: String },
    );
    expect(decoded).toEqual({
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'invalid event name (2)' },
    });
    expect(encodeExportLogsResponse('protobuf').length).toBe(0);
    expect(Status.toObject(Status.decode(encodeStatus('protobuf', 3, 'bad')))).toEqual({
      code: 3,
      message: 'bad',
    });
  });
});
