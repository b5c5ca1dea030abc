#!/usr/bin/env python3
"""Encode and decode Kafka record batches with kafka-python, for interop tests.

Kafka's on-disk / on-wire record formats: message set v0 and v1 ("magic" 0 and
1, Kafka 0.8-0.10) and RecordBatch v2 (Kafka 0.11+). Every byte layout, CRC and
compressed payload here is produced or parsed by kafka-python's own
kafka.record package (LegacyRecordBatchBuilder, DefaultRecordBatchBuilder,
MemoryRecordsBuilder, MemoryRecords); this script only drives it. Stdlib and
kafka-python only. See README.md beside this file for the JSON formats, the
fix-ups applied on top of kafka-python's producer output, and its quirks.

    encode --spec SPEC.json --out FILE [--gzip-mtime N]
    decode --in FILE --out OUT.json [--strict]

'-' for a path means stdin / stdout. Exit status 0 on success, 1 with the
exception on stderr on any failure, 2 on bad command-line usage.
"""

import argparse
import base64
import gzip as _stdlib_gzip
import json
import struct
import sys
import types

import kafka
import kafka.codec
from kafka.record import MemoryRecords, MemoryRecordsBuilder
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder
from kafka.record.legacy_records import LegacyRecordBatch, LegacyRecordBatchBuilder

CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
CODEC_NAMES = {v: k for k, v in CODECS.items()}
TIMESTAMP_TYPES = {"create": 0, "log_append": 1}
TIMESTAMP_TYPE_NAMES = {v: k for k, v in TIMESTAMP_TYPES.items()}

# Large enough that the builders' "batch is full" checks never trigger.
BATCH_SIZE = 1 << 30

TIMESTAMP_TYPE_BIT = 0x08   # attributes bit 3, all magics
TRANSACTIONAL_BIT = 0x10    # v2 attributes bit 4
CONTROL_BIT = 0x20          # v2 attributes bit 5

V2_ATTRIBUTES_AT = 21       # offset of the v2 Attributes field (int16)


class SpecError(ValueError):
    pass


# --------------------------------------------------------------------------
# Builders. Subclasses of kafka-python's builders that change only what a
# producer leaves for the broker to fill in; the byte layout, compression and
# CRC computation stay kafka-python's own.
# --------------------------------------------------------------------------

class LogLegacyBuilder(LegacyRecordBatchBuilder):
    """LegacyRecordBatchBuilder that writes a compressed wrapper the way a
    broker stores it. kafka-python's producer writes the wrapper with offset 0
    and timestamp 0 (legacy_records.py, _maybe_compress: `self._encode_msg(
    start_pos=0, offset=0, timestamp=0, ...)`) and never sets the timestamp
    type bit; we pass the wrapper offset (last offset), wrapper timestamp and
    the timestamp-type bit through kafka-python's own _encode_msg, which then
    computes the CRC as usual."""

    __slots__ = ("_ts_bit", "_wrapper_offset", "_wrapper_timestamp")

    def __init__(self, magic, compression_type, ts_bit, wrapper_offset, wrapper_timestamp):
        super().__init__(magic, compression_type, BATCH_SIZE)
        self._ts_bit = ts_bit
        self._wrapper_offset = wrapper_offset
        self._wrapper_timestamp = wrapper_timestamp

    def _encode_msg(self, start_pos, offset, timestamp, key, value, attributes=0):
        is_wrapper = bool(attributes & self.CODEC_MASK)
        if is_wrapper:
            offset = self._wrapper_offset
            timestamp = self._wrapper_timestamp
        # The timestamp type lives on the outermost message: the wrapper when
        # compressed, every message when not (inner messages keep 0, as after
        # a broker's in-place LogAppendTime assignment).
        if self._magic >= 1 and (is_wrapper or not self._compression_type):
            attributes |= self._ts_bit
        return super()._encode_msg(start_pos, offset, timestamp, key, value, attributes)


class LogDefaultBuilder(DefaultRecordBatchBuilder):
    """DefaultRecordBatchBuilder that can also set the timestamp-type and
    control bits (kafka-python: "Timestamp Type is set by Broker", "Control
    batches are only created by Broker", default_records.py _get_attributes).
    The header, including those bits, is then CRC'd by kafka-python's own
    write_header."""

    __slots__ = ("_extra_attributes",)

    def __init__(self, extra_attributes, **kwargs):
        super().__init__(batch_size=BATCH_SIZE, **kwargs)
        self._extra_attributes = extra_attributes

    def _get_attributes(self, include_compression_type=True):
        return super()._get_attributes(include_compression_type) | self._extra_attributes


# --------------------------------------------------------------------------
# encode
# --------------------------------------------------------------------------

def _b64(value, what):
    if value is None:
        return None
    if not isinstance(value, str):
        raise SpecError("%s must be a base64 string or null, got %r" % (what, value))
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except Exception as exc:
        raise SpecError("%s is not valid base64: %s" % (what, exc))


def _int(obj, name, default, where):
    value = obj.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError("%s: %s must be an integer, got %r" % (where, name, value))
    return value


def _parse_batch(i, b):
    where = "batches[%d]" % i
    if not isinstance(b, dict):
        raise SpecError("%s must be an object" % where)
    magic = b.get("magic")
    if magic not in (0, 1, 2):
        raise SpecError("%s: magic must be 0, 1 or 2, got %r" % (where, magic))
    codec_name = b.get("codec", "none")
    if codec_name not in CODECS:
        raise SpecError("%s: codec must be one of %s, got %r" % (where, sorted(CODECS), codec_name))
    ts_name = b.get("timestamp_type", "create")
    if ts_name not in TIMESTAMP_TYPES:
        raise SpecError("%s: timestamp_type must be create or log_append, got %r" % (where, ts_name))
    base_offset = _int(b, "base_offset", 0, where)
    records_in = b.get("records")
    if not isinstance(records_in, list):
        raise SpecError("%s: records must be a list" % where)
    records = []
    for j, r in enumerate(records_in):
        rw = "%s.records[%d]" % (where, j)
        if not isinstance(r, dict):
            raise SpecError("%s must be an object" % rw)
        offset = _int(r, "offset", base_offset + j, rw)
        timestamp = r.get("timestamp")
        if magic >= 1 and (isinstance(timestamp, bool) or not isinstance(timestamp, int)):
            raise SpecError("%s: timestamp must be an integer for magic %d" % (rw, magic))
        headers = []
        for k, h in enumerate(r.get("headers") or []):
            if not (isinstance(h, list) and len(h) == 2 and isinstance(h[0], str)):
                raise SpecError("%s.headers[%d] must be [name, base64|null]" % (rw, k))
            headers.append((h[0], _b64(h[1], "%s.headers[%d] value" % (rw, k))))
        if headers and magic < 2:
            raise SpecError("%s: headers need magic 2" % rw)
        records.append({
            "offset": offset,
            "timestamp": timestamp if magic >= 1 else None,
            "key": _b64(r.get("key"), rw + ".key"),
            "value": _b64(r.get("value"), rw + ".value"),
            "headers": headers,
        })
    return {
        "where": where, "magic": magic, "codec": CODECS[codec_name], "codec_name": codec_name,
        "ts_bit": TIMESTAMP_TYPE_BIT if TIMESTAMP_TYPES[ts_name] else 0,
        "base_offset": base_offset, "records": records, "raw": b,
    }


def _encode_producer_raw(p):
    """Exactly what kafka-python's producer builds (record_accumulator.py:
    MemoryRecordsBuilder(message_version, compression_attrs, batch_size)):
    offsets (deltas) 0..n-1, base/wrapper offset 0, wrapper timestamp 0."""
    b = p["raw"]
    builder = MemoryRecordsBuilder(
        p["magic"], p["codec"], BATCH_SIZE, offset=0,
        transactional=bool(b.get("is_transactional", False)),
        producer_id=_int(b, "producer_id", -1, p["where"]),
        producer_epoch=_int(b, "producer_epoch", -1, p["where"]),
        base_sequence=_int(b, "base_sequence", -1, p["where"]))
    for r in p["records"]:
        if builder.append(r["timestamp"], r["key"], r["value"], r["headers"]) is None:
            raise RuntimeError("%s: kafka-python refused to append a record" % p["where"])
    builder.close()
    return bytes(builder.buffer())


def _encode_legacy(p):
    magic, codec, records, where = p["magic"], p["codec"], p["records"], p["where"]
    if not records:
        raise SpecError("%s: a v0/v1 message set needs at least one record" % where)
    if codec == CODECS["zstd"]:
        raise SpecError("%s: zstd needs magic 2 (kafka-python's legacy builder has no zstd)" % where)
    if "max_timestamp" in p["raw"] and not codec:
        raise SpecError("%s: max_timestamp (the wrapper timestamp) needs a compressed v1 batch" % where)
    wrapper_ts = _int(p["raw"], "max_timestamp",
                      max(r["timestamp"] for r in records) if magic >= 1 else -1, where)
    builder = LogLegacyBuilder(magic, codec, p["ts_bit"], records[-1]["offset"], wrapper_ts)
    for r in records:
        if codec and magic >= 1:
            # v1 inner messages carry offsets relative to the wrapper's first.
            offset = r["offset"] - p["base_offset"]
        else:
            offset = r["offset"]
        if builder.append(offset, r["timestamp"], r["key"], r["value"]) is None:
            raise RuntimeError("%s: kafka-python refused to append a record" % where)
    return bytes(builder.build())


def _encode_v2(p):
    b, where = p["raw"], p["where"]
    extra = p["ts_bit"]
    if b.get("is_control", False):
        extra |= CONTROL_BIT
    builder = LogDefaultBuilder(
        extra, magic=2, compression_type=p["codec"],
        is_transactional=bool(b.get("is_transactional", False)),
        producer_id=_int(b, "producer_id", -1, where),
        producer_epoch=_int(b, "producer_epoch", -1, where),
        base_sequence=_int(b, "base_sequence", -1, where))
    for r in p["records"]:
        delta = r["offset"] - p["base_offset"]
        if builder.append(delta, r["timestamp"], r["key"], r["value"], r["headers"]) is None:
            raise RuntimeError("%s: kafka-python refused to append a record" % where)
    if "max_timestamp" in b:
        # CRC-covered; set before build() so write_header CRCs it.
        builder._max_timestamp = _int(b, "max_timestamp", 0, where)
    buf = bytearray(builder.build())
    # BaseOffset and PartitionLeaderEpoch are outside the CRC (which starts at
    # Attributes); kafka-python's producer writes 0 for both.
    struct.pack_into(">q", buf, 0, p["base_offset"])
    struct.pack_into(">i", buf, 12, _int(b, "partition_leader_epoch", 0, where))
    return bytes(buf)


def _written_codec(magic, data):
    if magic >= 2:
        return struct.unpack_from(">h", data, V2_ATTRIBUTES_AT)[0] & 0x07
    return data[17] & 0x07  # offset(8) size(4) crc(4) magic(1) -> attributes


def encode_spec(spec, allow_uncompressed_fallback=False):
    if not isinstance(spec, dict) or not isinstance(spec.get("batches"), list):
        raise SpecError('spec must be an object {"batches": [...]}')
    out = bytearray()
    for i, b in enumerate(spec["batches"]):
        p = _parse_batch(i, b)
        if b.get("producer_raw", False):
            data = _encode_producer_raw(p)
        elif p["magic"] >= 2:
            data = _encode_v2(p)
        else:
            data = _encode_legacy(p)
        written = _written_codec(p["magic"], data)
        if written != p["codec"] and not (allow_uncompressed_fallback or b.get("allow_uncompressed_fallback")):
            raise RuntimeError(
                "%s: asked for codec %s but kafka-python wrote %s: DefaultRecordBatchBuilder "
                "sends a v2 batch uncompressed when compression does not make it smaller "
                "(default_records.py, _maybe_compress); make the records compressible or set "
                "allow_uncompressed_fallback" % (p["where"], p["codec_name"], CODEC_NAMES.get(written, written)))
        out += data
    return bytes(out)


def _set_gzip_mtime(mtime):
    """kafka.codec.gzip_encode uses gzip.GzipFile(fileobj=..., mode="w",
    compresslevel=9) with no mtime, so the gzip header carries the current
    time. Give kafka.codec a gzip whose GzipFile defaults to a fixed mtime."""
    def GzipFile(*args, **kwargs):
        kwargs.setdefault("mtime", mtime)
        return _stdlib_gzip.GzipFile(*args, **kwargs)
    kafka.codec.gzip = types.SimpleNamespace(GzipFile=GzipFile)


# --------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------

def _b64s(value):
    return None if value is None else base64.b64encode(bytes(value)).decode("ascii")


def _record_json(batch_magic, r):
    d = {
        "offset": r.offset,
        "timestamp": r.timestamp,
        "timestamp_type": TIMESTAMP_TYPE_NAMES.get(r.timestamp_type),
        "key": _b64s(r.key),
        "value": _b64s(r.value),
    }
    if batch_magic >= 2:
        d["headers"] = [[k, _b64s(v)] for k, v in r.headers]
        d["size_in_bytes"] = r.size_in_bytes
        if hasattr(r, "version") and hasattr(r, "type"):  # ControlRecord
            d["control_version"] = r.version
            d["control_type"] = r.type
    else:
        d["headers"] = []
        d["crc"] = r.checksum
        d["crc_valid"] = r.validate_crc()
    return d


def _batch_json(batch):
    magic = batch.magic
    if isinstance(batch, DefaultRecordBatch):
        crc_valid = batch.validate_crc()  # must run before iterating
        d = {
            "magic": magic,
            "codec": CODEC_NAMES.get(batch.compression_type, batch.compression_type),
            "base_offset": batch.base_offset,
            "last_offset": batch.last_offset,
            "last_offset_delta": batch.last_offset_delta,
            "timestamp_type": TIMESTAMP_TYPE_NAMES.get(batch.timestamp_type),
            "producer_id": batch.producer_id,
            "producer_epoch": batch.producer_epoch,
            "base_sequence": batch.base_sequence,
            "last_sequence": batch.last_sequence,
            "is_transactional": batch.is_transactional,
            "is_control_batch": batch.is_control_batch,
            "partition_leader_epoch": batch.leader_epoch,
            "first_timestamp": batch.first_timestamp,
            "max_timestamp": batch.max_timestamp,
            "attributes": batch.attributes,
            "crc": batch.crc,
            "crc_valid": crc_valid,
            "records_count": batch.records_count,
            "size_in_bytes": batch.size_in_bytes,
        }
    elif isinstance(batch, LegacyRecordBatch):
        crc_valid = batch.validate_crc()
        # LegacyRecordBatch has no public crc/attributes/timestamp: read its slots.
        d = {
            "magic": magic,
            "codec": CODEC_NAMES.get(batch.compression_type, batch.compression_type),
            "base_offset": batch.base_offset,  # the (wrapper) message's own offset
            "timestamp_type": TIMESTAMP_TYPE_NAMES.get(batch.timestamp_type),
            "wrapper_timestamp": batch._timestamp,
            "attributes": batch._attributes,
            "crc": batch._crc,
            "crc_valid": crc_valid,
            "size_in_bytes": batch.size_in_bytes,
        }
    else:
        raise TypeError("unexpected batch type %r" % type(batch))
    d["records"] = [_record_json(magic, r) for r in batch]
    if isinstance(batch, LegacyRecordBatch):
        d["last_offset"] = d["records"][-1]["offset"] if d["records"] else None
    return d


def decode_bytes(data, strict=False):
    records = MemoryRecords(data)
    batches = []
    while records.has_next():
        batches.append(_batch_json(records.next_batch()))
    valid = records.valid_bytes()
    out = {
        "kafka_python_version": kafka.__version__,
        "total_bytes": len(data),
        "valid_bytes": valid,
        "trailing_bytes": len(data) - valid,
        "batches": batches,
        "records": [
            {k: r[k] for k in ("offset", "timestamp", "key", "value", "headers")}
            for b in batches for r in b["records"]],
    }
    if strict:
        problems = []
        if out["trailing_bytes"]:
            problems.append("%d trailing bytes do not form a whole batch" % out["trailing_bytes"])
        for i, b in enumerate(batches):
            if not b["crc_valid"]:
                problems.append("batches[%d]: crc does not validate" % i)
            for j, r in enumerate(b["records"]):
                if r.get("crc_valid") is False:
                    problems.append("batches[%d].records[%d]: crc does not validate" % (i, j))
        if problems:
            raise ValueError("; ".join(problems))
    return out


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def _read(path, binary):
    if path == "-":
        return sys.stdin.buffer.read() if binary else sys.stdin.read()
    with open(path, "rb" if binary else "r") as f:
        return f.read()


def _write(path, data):
    if path == "-":
        if isinstance(data, str):
            sys.stdout.write(data)
        else:
            sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with open(path, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    enc = sub.add_parser("encode", help="build batches from a JSON spec with kafka-python")
    enc.add_argument("--spec", required=True)
    enc.add_argument("--out", required=True)
    enc.add_argument("--gzip-mtime", type=int, default=0,
                     help="mtime written in gzip headers (default 0); -1 keeps kafka-python's "
                          "behaviour (current time, not reproducible)")
    enc.add_argument("--allow-uncompressed-fallback", action="store_true",
                     help="accept v2 batches that kafka-python wrote uncompressed because "
                          "compression did not shrink them")
    dec = sub.add_parser("decode", help="read batches with kafka-python's MemoryRecords")
    dec.add_argument("--in", dest="inp", required=True)
    dec.add_argument("--out", required=True)
    dec.add_argument("--strict", action="store_true",
                     help="fail on trailing bytes or any crc that does not validate")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "encode":
            if args.gzip_mtime >= 0:
                _set_gzip_mtime(args.gzip_mtime)
            spec = json.loads(_read(args.spec, binary=False))
            _write(args.out, encode_spec(spec, args.allow_uncompressed_fallback))
        else:
            out = decode_bytes(_read(args.inp, binary=True), strict=args.strict)
            _write(args.out, json.dumps(out, indent=2) + "\n")
    except Exception as exc:  # report and fail, whatever kafka-python raised
        msg = str(exc) or repr(exc)
        if not msg.startswith(type(exc).__name__):
            msg = "%s: %s" % (type(exc).__name__, msg)
        print("kafka_python_records %s: %s" % (args.cmd, msg), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
