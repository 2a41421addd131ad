import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * Reads captured metric requests without the endpoint's code: its own minimal protobuf
 * descriptor (only the fields needed here, declared from the OTLP spec's field numbers) and a
 * plain JSON walk, then sums per person the way the question is asked: delta points add up,
 * cumulative series count their last value (a series = name + all attributes as sent).
 */
export interface CapturedFixture {
  readonly version: string;
  readonly temporality: 'delta' | 'cumulative';
  readonly requests: readonly { contentType: string; contentEncoding: string | null; bodyBase64: string }[];
}

export const loadFixture = (name: string): CapturedFixture =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8'),
  ) as CapturedFixture;

const kv = { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } };
const root = protobuf.Root.fromJSON({
  nested: {
    AnyValue: { fields: { stringValue: { type: 'string', id: 1 }, boolValue: { type: 'bool', id: 2 } } },
    KeyValue: kv,
    Point: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
        timeUnixNano: { type: 'fixed64', id: 3 },
        asDouble: { type: 'double', id: 4 },
      },
    },
    Sum: {
      fields: {
        dataPoints: { rule: 'repeated', type: 'Point', id: 1 },
        aggregationTemporality: { type: 'int32', id: 2 },
      },
    },
    Metric: { fields: { name: { type: 'string', id: 1 }, sum: { type: 'Sum', id: 7 } } },
    Scope: { fields: { metrics: { rule: 'repeated', type: 'Metric', id: 2 } } },
    Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    ResourceMetrics: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeMetrics: { rule: 'repeated', type: 'Scope', id: 2 },
      },
    },
    Request: { fields: { resourceMetrics: { rule: 'repeated', type: 'ResourceMetrics', id: 1 } } },
  },
});
const Request = root.lookupType('Request');

interface Kv {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean };
}
interface Req {
  resourceMetrics?: {
    scopeMetrics?: {
      metrics?: { name: string; sum?: { dataPoints?: { attributes?: Kv[]; asDouble?: number }[] } }[];
    }[];
  }[];
}

export function requestBodies(fixture: CapturedFixture): Req[] {
  return fixture.requests.map((r) => {
    const raw = Buffer.from(r.bodyBase64, 'base64');
    const body = r.contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
    return r.contentType.includes('json')
      ? (JSON.parse(body.toString('utf8')) as Req)
      : (Request.toObject(Request.decode(body), { longs: String }) as Req);
  });
}

export interface PersonFigures {
  lines_added: number;
  lines_removed: number;
  commits: number;
  pull_requests: number;
  active_seconds: number;
}

/** Figures per e-mail local part (the captures set `user.email`). */
export function figuresByPerson(fixture: CapturedFixture): Map<string, PersonFigures> {
  const last = new Map<string, { person: string; name: string; type: string; value: number }>();
  const summed: { person: string; name: string; type: string; value: number }[] = [];
  for (const request of requestBodies(fixture)) {
    for (const rm of request.resourceMetrics ?? [])
      for (const sm of rm.scopeMetrics ?? [])
        for (const m of sm.metrics ?? [])
          for (const p of m.sum?.dataPoints ?? []) {
            const attrs = Object.fromEntries(
              (p.attributes ?? []).map((a) => [a.key, a.value?.stringValue ?? a.value?.boolValue]),
            );
            const point = {
              person: String(attrs['user.email'] ?? '').split('@')[0]!,
              name: m.name,
              type: String(attrs.type ?? ''),
              value: p.asDouble ?? 0,
            };
            if (fixture.temporality === 'delta') summed.push(point);
            else last.set(`${m.name}${JSON.stringify(p.attributes)}`, point);
          }
  }
  const out = new Map<string, PersonFigures>();
  for (const p of [...summed, ...last.values()]) {
    const f = out.get(p.person) ?? {
      lines_added: 0,
      lines_removed: 0,
      commits: 0,
      pull_requests: 0,
      active_seconds: 0,
    };
    if (p.name === 'claude_code.lines_of_code.count' && p.type === 'added') f.lines_added += p.value;
    if (p.name === 'claude_code.lines_of_code.count' && p.type === 'removed') f.lines_removed += p.value;
    if (p.name === 'claude_code.commit.count') f.commits += p.value;
    if (p.name === 'claude_code.pull_request.count') f.pull_requests += p.value;
    if (p.name === 'claude_code.active_time.total') f.active_seconds += p.value;
    out.set(p.person, f);
  }
  return out;
}
