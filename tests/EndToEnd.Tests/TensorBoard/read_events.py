#!/usr/bin/python3
"""Reads TensorBoard event files independently of AvDsl's writer and prints what they hold as JSON.

Written from the formats, not from the C# code: TFRecord framing (uint64 LE length, masked CRC-32C of the length,
data, masked CRC-32C of the data; mask = rotate right 15 + 0xa282ead8) checked with python3-crc32c, and the messages
declared below field by field from TensorBoard's compat/proto/{event,summary,tensor,tensor_shape}.proto and
plugins/hparams/{plugin_data,api}.proto, decoded by python3-protobuf.

Usage: read_events.py RUN_DIR  (every events.out.tfevents.* file in it, in name order, as TensorBoard reads them)
Exit status 1 with a message on stderr when a CRC does not check or a record is cut short.
"""
import json
import os
import struct
import sys

import crc32c
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, struct_pb2

F = descriptor_pb2.FieldDescriptorProto


def field(message, name, number, kind, label=F.LABEL_OPTIONAL, type_name=None, oneof=None):
    f = message.field.add(name=name, number=number, type=kind, label=label)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    return f


def declare():
    pool = descriptor_pool.DescriptorPool()
    struct_file = descriptor_pb2.FileDescriptorProto()
    struct_pb2.DESCRIPTOR.CopyToProto(struct_file)
    pool.Add(struct_file)

    tb = descriptor_pb2.FileDescriptorProto(name="reader/tensorboard.proto", package="tensorboard", syntax="proto3")
    shape = tb.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    field(dim, "size", 1, F.TYPE_INT64)
    field(dim, "name", 2, F.TYPE_STRING)
    field(shape, "dim", 2, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorboard.TensorShapeProto.Dim")
    field(shape, "unknown_rank", 3, F.TYPE_BOOL)

    tensor = tb.message_type.add(name="TensorProto")
    field(tensor, "dtype", 1, F.TYPE_INT32)  # enum DataType: DT_FLOAT = 1, DT_STRING = 7
    field(tensor, "tensor_shape", 2, F.TYPE_MESSAGE, type_name=".tensorboard.TensorShapeProto")
    field(tensor, "version_number", 3, F.TYPE_INT32)
    field(tensor, "tensor_content", 4, F.TYPE_BYTES)
    field(tensor, "float_val", 5, F.TYPE_FLOAT, F.LABEL_REPEATED).options.packed = True
    field(tensor, "string_val", 8, F.TYPE_BYTES, F.LABEL_REPEATED)

    metadata = tb.message_type.add(name="SummaryMetadata")
    plugin = metadata.nested_type.add(name="PluginData")
    field(plugin, "plugin_name", 1, F.TYPE_STRING)
    field(plugin, "content", 2, F.TYPE_BYTES)
    field(metadata, "plugin_data", 1, F.TYPE_MESSAGE, type_name=".tensorboard.SummaryMetadata.PluginData")
    field(metadata, "display_name", 2, F.TYPE_STRING)
    field(metadata, "summary_description", 3, F.TYPE_STRING)
    field(metadata, "data_class", 4, F.TYPE_INT32)

    summary = tb.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "node_name", 7, F.TYPE_STRING)
    field(value, "tag", 1, F.TYPE_STRING)
    field(value, "metadata", 9, F.TYPE_MESSAGE, type_name=".tensorboard.SummaryMetadata")
    field(value, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    field(value, "tensor", 8, F.TYPE_MESSAGE, type_name=".tensorboard.TensorProto", oneof=0)
    field(summary, "value", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorboard.Summary.Value")

    session_log = tb.message_type.add(name="SessionLog")
    field(session_log, "status", 1, F.TYPE_INT32)  # enum SessionStatus: START = 1, STOP = 2, CHECKPOINT = 3
    field(session_log, "checkpoint_path", 2, F.TYPE_STRING)
    field(session_log, "msg", 3, F.TYPE_STRING)

    event = tb.message_type.add(name="Event")
    event.oneof_decl.add(name="what")
    field(event, "wall_time", 1, F.TYPE_DOUBLE)
    field(event, "step", 2, F.TYPE_INT64)
    field(event, "file_version", 3, F.TYPE_STRING, oneof=0)
    field(event, "graph_def", 4, F.TYPE_BYTES, oneof=0)
    field(event, "summary", 5, F.TYPE_MESSAGE, type_name=".tensorboard.Summary", oneof=0)
    field(event, "session_log", 7, F.TYPE_MESSAGE, type_name=".tensorboard.SessionLog", oneof=0)
    field(event, "meta_graph_def", 9, F.TYPE_BYTES, oneof=0)
    pool.Add(tb)

    hp = descriptor_pb2.FileDescriptorProto(name="reader/hparams.proto", package="tensorboard.hparams", syntax="proto3",
                                            dependency=["google/protobuf/struct.proto"])
    start = hp.message_type.add(name="SessionStartInfo")
    entry = start.nested_type.add(name="HparamsEntry")
    entry.options.map_entry = True
    field(entry, "key", 1, F.TYPE_STRING)
    field(entry, "value", 2, F.TYPE_MESSAGE, type_name=".google.protobuf.Value")
    field(start, "hparams", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorboard.hparams.SessionStartInfo.HparamsEntry")
    field(start, "model_uri", 2, F.TYPE_STRING)
    field(start, "monitor_url", 3, F.TYPE_STRING)
    field(start, "group_name", 4, F.TYPE_STRING)
    field(start, "start_time_secs", 5, F.TYPE_DOUBLE)
    end = hp.message_type.add(name="SessionEndInfo")
    field(end, "status", 1, F.TYPE_INT32)  # enum Status: UNKNOWN 0, SUCCESS 1, FAILURE 2, RUNNING 3
    field(end, "end_time_secs", 2, F.TYPE_DOUBLE)
    data = hp.message_type.add(name="HParamsPluginData")
    data.oneof_decl.add(name="data")
    field(data, "version", 1, F.TYPE_INT32)
    field(data, "experiment", 2, F.TYPE_BYTES, oneof=0)  # an Experiment; not read here
    field(data, "session_start_info", 3, F.TYPE_MESSAGE, type_name=".tensorboard.hparams.SessionStartInfo", oneof=0)
    field(data, "session_end_info", 4, F.TYPE_MESSAGE, type_name=".tensorboard.hparams.SessionEndInfo", oneof=0)
    pool.Add(hp)

    if hasattr(message_factory, "GetMessageClass"):
        get = lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
    else:
        factory = message_factory.MessageFactory(pool)
        get = lambda name: factory.GetPrototype(pool.FindMessageTypeByName(name))
    return get("tensorboard.Event"), get("tensorboard.hparams.HParamsPluginData")


def masked_crc(data):
    crc = crc32c.crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    with open(path, "rb") as f:
        blob = f.read()
    at = 0
    while at < len(blob):
        if at + 12 > len(blob):
            raise ValueError(f"{path}: record header at byte {at} cut short")
        header = blob[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", blob[at + 8:at + 12])
        if header_crc != masked_crc(header):
            raise ValueError(f"{path}: length CRC of the record at byte {at} does not check")
        data = blob[at + 12:at + 12 + length]
        if len(data) < length or at + 16 + length > len(blob):
            raise ValueError(f"{path}: record at byte {at} cut short")
        (data_crc,) = struct.unpack("<I", blob[at + 12 + length:at + 16 + length])
        if data_crc != masked_crc(data):
            raise ValueError(f"{path}: data CRC of the record at byte {at} does not check")
        yield data
        at += 16 + length


def struct_value(v):
    kind = v.WhichOneof("kind")
    return None if kind in (None, "null_value") else getattr(v, kind)


def decode_value(value, HParamsPluginData):
    out = {"tag": value.tag}
    plugin = value.metadata.plugin_data.plugin_name if value.HasField("metadata") else None
    if plugin:
        out["plugin"] = plugin
    which = value.WhichOneof("value")
    if which == "simple_value":
        out["simple_value"] = value.simple_value
    elif plugin == "text":
        t = value.tensor
        out["dtype"] = t.dtype
        out["shape"] = [d.size for d in t.tensor_shape.dim]
        out["text"] = [s.decode("utf-8") for s in t.string_val]
    elif plugin == "hparams":
        data = HParamsPluginData.FromString(value.metadata.plugin_data.content)
        out["version"] = data.version
        if data.HasField("session_start_info"):
            s = data.session_start_info
            out["session_start_info"] = {
                "hparams": {k: struct_value(v) for k, v in s.hparams.items()},
                "group_name": s.group_name,
                "start_time_secs": s.start_time_secs,
            }
        if data.HasField("session_end_info"):
            e = data.session_end_info
            out["session_end_info"] = {"status": e.status, "end_time_secs": e.end_time_secs}
    elif which == "tensor":
        out["dtype"] = value.tensor.dtype
    return out


def main(run_dir):
    Event, HParamsPluginData = declare()
    files = []
    for name in sorted(n for n in os.listdir(run_dir) if n.startswith("events.out.tfevents.")):
        events = []
        for data in records(os.path.join(run_dir, name)):
            e = Event.FromString(data)
            out = {"wall_time": e.wall_time, "step": e.step}
            what = e.WhichOneof("what")
            if what == "file_version":
                out["file_version"] = e.file_version
            elif what == "session_log":
                out["session_log"] = e.session_log.status
            elif what == "summary":
                out["summary"] = [decode_value(v, HParamsPluginData) for v in e.summary.value]
            elif what is not None:
                out["other"] = what
            events.append(out)
        files.append({"name": name, "events": events})
    json.dump({"files": files}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_events.py RUN_DIR")
    try:
        main(sys.argv[1])
    except ValueError as problem:
        sys.exit(str(problem))
