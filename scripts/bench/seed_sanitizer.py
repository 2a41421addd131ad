"""Seed-style Firehose sanitizer in Python: the baseline `npm run bench transform` measures the
TypeScript transform against (what a team would otherwise keep: python3, json + gzip + base64).

Same decode-filter-encode as functions/transform for every Firehose record: base64 -> gunzip ->
CloudWatch payload -> per log event json.loads -> the allowlist of the column list (passed in, so
both sides keep exactly the same keys) -> one JSON line per row -> base64. Dropped keys are counted
by name, as the transform's log line does.

Protocol (stdin/stdout, one line each): `run NAME` processes workload NAME once and prints the
CPU milliseconds it took (time.process_time, so that other load on a shared machine
counts less); `dump NAME PATH` writes its responses as JSON; `quit`.
Usage: python3 seed_sanitizer.py INPUT.json
"""

import base64
import gzip
import hashlib
import json
import re
import sys
import time
from datetime import datetime, timezone

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
INTEGER_TEXT = re.compile(r"^-?\d{1,16}$")
DECIMAL_TEXT = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d{1,3})?$")
ISO_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
MIN_MS, MAX_MS = 946_684_800_000, 4_102_444_800_000
MAX_SAFE = 2**53 - 1


def unwrap(v):
    if isinstance(v, dict):
        for k in ("stringValue", "intValue", "doubleValue", "boolValue"):
            if k in v:
                return v[k]
    return v


class Sanitizer:
    def __init__(self, spec):
        self.max_string = spec["maxString"]
        self.tool_keys = spec["toolParameterKeys"]
        self.tools_with_keys = {t for tools in self.tool_keys.values() for t in tools}
        self.plan = []
        allowed = {"event.name", "tool_name", "tool_parameters"}
        for col in spec["columns"]:
            sources = []
            for source in col["sources"]:
                kind, key = source.split(":", 1)
                sources.append((kind, key, (col.get("divideBy") or {}).get(source, 1)))
                if kind == "attr":
                    allowed.add(key)
            events = frozenset(col["events"]) if col.get("events") else None
            self.plan.append((col["name"], col["type"], sources, events))
        self.allowed = allowed
        self.pseudonyms = {}
        self.dropped = {}

    def coerce(self, typ, v):
        if typ == "string":
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, str):
                return v[: self.max_string]
            if isinstance(v, (int, float)):
                return js_number_text(v)
            return None
        if typ == "bigint":
            if isinstance(v, bool):
                return None
            if isinstance(v, str) and INTEGER_TEXT.match(v):
                v = int(v)
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return v if isinstance(v, int) and abs(v) <= MAX_SAFE else None
        if typ == "double":
            if isinstance(v, bool):
                return None
            if isinstance(v, str) and len(v) <= 64 and DECIMAL_TEXT.match(v):
                v = float(v)
            if isinstance(v, (int, float)) and v == v and abs(v) != float("inf"):
                return v
            return None
        if typ == "boolean":
            if isinstance(v, bool):
                return v
            return True if v == "true" else False if v == "false" else None
        if typ == "timestamp":
            return epoch_millis(v)
        return None

    def tool_parameters(self, attrs):
        tool = unwrap(attrs.get("tool_name"))
        if not isinstance(tool, str) or tool not in self.tools_with_keys:
            return {}
        text = unwrap(attrs.get("tool_parameters"))
        if not isinstance(text, str) or len(text) > 64 * 1024:
            return {}
        try:
            parsed = json.loads(text)
        except ValueError:
            return {}
        if not isinstance(parsed, dict):
            return {}
        return {
            k: parsed[k][: self.max_string]
            for k, tools in self.tool_keys.items()
            if tool in tools and isinstance(parsed.get(k), str)
        }

    def pseudonym(self, user_id):
        p = self.pseudonyms.get(user_id)
        if p is None:
            digest = hashlib.sha256(f"claude-otel-lake user.id\0{user_id}".encode()).hexdigest()
            p = self.pseudonyms[user_id] = "anon_" + digest[:12]
        return p

    def sanitize(self, message, event_id, timestamp):
        attrs = message.get("attributes")
        attrs = attrs if isinstance(attrs, dict) else {}
        resource = message.get("resource")
        resource = resource.get("attributes") if isinstance(resource, dict) else None
        resource = resource if isinstance(resource, dict) else {}
        body = unwrap(message.get("body"))
        if not (isinstance(body, str) and body.startswith("claude_code.")):
            return "skipped"
        name = body[len("claude_code.") :]
        if not EVENT_NAME.match(name):
            return "rejected"
        for m in (attrs, resource):
            for key in m:
                if key not in self.allowed:
                    self.dropped[key] = self.dropped.get(key, 0) + 1
        params = None
        row = {}
        for col, typ, sources, events in self.plan:
            if events is not None and name not in events:
                continue
            for kind, key, divide in sources:
                if kind == "attr":
                    raw = attrs.get(key)
                    if raw is None:
                        raw = resource.get(key)
                    raw = unwrap(raw)
                elif kind == "tool_parameters":
                    if params is None:
                        params = self.tool_parameters(attrs)
                    raw = params.get(key)
                elif kind == "envelope":
                    raw = event_key(message, attrs, resource, name, timestamp) if key == "id" else timestamp
                elif kind == "record":
                    raw = name if key == "event_name" else None
                elif key == "user_pseudonym":
                    uid = derivation(attrs, resource, "user.id")
                    raw = self.pseudonym(uid) if uid else None
                else:
                    raw = prompt_kind(attrs, resource, name)
                if raw is None:
                    continue
                value = self.coerce(typ, raw)
                if value is None:
                    continue
                if divide != 1 and isinstance(value, (int, float)):
                    value = value / divide
                row[col] = value
                break
        email = row.get("user_email")
        if isinstance(email, str):
            row["user_email"] = email.strip().lower()
        ms = row.get("event_time")
        if ms is None:
            return "rejected"
        row["event_time"] = iso_utc(ms)
        return row

    def transform(self, invocation):
        out = []
        for record in invocation["records"]:
            payload = json.loads(gzip.decompress(base64.b64decode(record["data"])))
            if payload.get("messageType") != "DATA_MESSAGE":
                out.append({"recordId": record["recordId"], "result": "Dropped", "data": ""})
                continue
            lines = []
            for e in payload["logEvents"]:
                try:
                    message = json.loads(e["message"])
                except (ValueError, KeyError, TypeError):
                    continue
                if not isinstance(message, dict):
                    continue
                row = self.sanitize(message, e.get("id"), e.get("timestamp"))
                if isinstance(row, dict):
                    lines.append(json.dumps(row, separators=(",", ":"), ensure_ascii=False))
            if lines:
                lines.append("")
                data = base64.b64encode("\n".join(lines).encode("utf-8")).decode("ascii")
                out.append({"recordId": record["recordId"], "result": "Ok", "data": data})
            else:
                out.append({"recordId": record["recordId"], "result": "Dropped", "data": ""})
        return {"records": out}


IDENTITY_KEYS = ("user.id", "session.id", "event.sequence", "prompt.id", "message.uuid", "tool_use_id", "agent_id")


def identity_value(attrs, resource, key):
    v = unwrap(attrs.get(key))
    if v is None:
        v = unwrap(resource.get(key))
    if v is None or isinstance(v, (dict, list)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return js_number_text(v) if isinstance(v, (int, float)) else str(v)


def nanos_to_millis(v):
    if isinstance(v, str) and v.isdigit() and len(v) <= 20:
        ms = int(v[:-6]) if len(v) > 6 else 0
    elif isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
        ms = int(v / 1e6 + 1e-3)
    else:
        return None
    return ms if MIN_MS <= ms < MAX_MS else None


def event_key(message, attrs, resource, name, transport_ms):
    """functions/schema/event-key.ts: SHA-256 of the event's own identity, 32 hex."""
    ms = nanos_to_millis(message.get("timeUnixNano"))
    if ms is None:
        ms = nanos_to_millis(message.get("observedTimeUnixNano"))
    time_text = str(ms) if ms is not None else ""
    if not time_text:
        iso = identity_value(attrs, resource, "event.timestamp")
        try:
            time_text = str(int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)) if iso else ""
        except ValueError:
            time_text = ""
    if not time_text and transport_ms is not None:
        time_text = f"t{transport_ms}"
    text = "\x1f".join([time_text, name] + [identity_value(attrs, resource, k) for k in IDENTITY_KEYS])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def derivation(attrs, resource, key):
    v = unwrap(attrs.get(key))
    if isinstance(v, str):
        return v
    v = unwrap(resource.get(key))
    return v if isinstance(v, str) else None


def prompt_kind(attrs, resource, name):
    if name != "user_prompt":
        return None
    text = derivation(attrs, resource, "prompt") or derivation(attrs, resource, "prompt_text")
    if text is not None and text.lstrip().startswith("<task-notification>"):
        return "task_notification"
    if derivation(attrs, resource, "command_name"):
        return "command"
    if text is not None and text != "<REDACTED>":
        return "typed"
    return None


def js_number_text(v):
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e21):
        return str(int(v))
    return repr(v)


def epoch_millis(v):
    if isinstance(v, str):
        m = ISO_TIMESTAMP.match(v)
        if m is None:
            return None
        try:
            ms = int(datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            return None
    elif isinstance(v, int) and not isinstance(v, bool):
        ms = v
    else:
        return None
    return ms if MIN_MS <= ms < MAX_MS else None


def iso_utc(ms):
    t = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return f"{t.strftime('%Y-%m-%dT%H:%M:%S')}.{ms % 1000:03d}Z"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    workloads = spec["workloads"]
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        sanitizer = Sanitizer(spec)
        if cmd[0] == "run":
            start = time.process_time()
            for invocation in workloads[cmd[1]]:
                sanitizer.transform(invocation)
            print(f"{(time.process_time() - start) * 1000:.3f}", flush=True)
        elif cmd[0] == "dump":
            with open(cmd[2], "w", encoding="utf-8") as f:
                json.dump([sanitizer.transform(i) for i in workloads[cmd[1]]], f)
            print("ok", flush=True)


if __name__ == "__main__":
    main()
