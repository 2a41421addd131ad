import type { FirehoseTransformationResult } from 'aws-lambda';

/**
 * The exact byte size of `JSON.stringify(response)`, computed without building the string
 * (record ids and base64 data are ASCII; ids are measured as JSON strings to be safe).
 *
 *   { records: [{ recordId: 'a', result: 'Ok', data: 'eA==' }] }
 *   -> 57 === Buffer.byteLength('{"records":[{"recordId":"a","result":"Ok","data":"eA=="}]}')
 */
export function responseBytes(response: FirehoseTransformationResult): number {
  let size = '{"records":[]}'.length + Math.max(0, response.records.length - 1);
  for (const r of response.records) {
    size += '{"recordId":,"result":"","data":""}'.length;
    size += Buffer.byteLength(JSON.stringify(r.recordId)) + r.result.length + (r.data ?? '').length;
  }
  return size;
}
