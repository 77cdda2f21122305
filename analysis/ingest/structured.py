"""One loader for structured input: scenarios (YAML or JSON), comparison reports and save files (JSON).

Everything a user hands us as structured data goes through ``load_structured`` (bytes) or
``read_structured`` (a path). Both return plain JSON values (dict with text keys, list, str,
int, float, bool, None) or raise an ``InputError`` whose message is one line naming the file,
so the CLI exits 2 and the app shows the message. The rules are the same for both formats:

- **size**: at most ``max_bytes_for(kind)`` bytes, checked before anything is parsed (limits and
  their environment variables in ``analysis.defaults``);
- **encoding**: UTF-8; a byte-order mark (UTF-8, UTF-16 or UTF-32) is accepted and removed;
- **nesting** at most ``defaults.STRUCTURED_MAX_DEPTH`` levels;
- **numbers**: integers of at most ``defaults.STRUCTURED_MAX_INT_DIGITS`` digits; NaN,
  Infinity and numbers too large for a float are refused;
- **keys**: text only, never twice in one mapping;
- **text**: no lone surrogates (``"\\ud800"`` is not a character and cannot be written out);
- **YAML only**: one document; aliases (``*name``) and merge keys (``<<``) are refused, so an
  alias bomb ("billion laughs") cannot expand; tags other than YAML's standard scalars are
  refused (no ``!!binary``, ``!!set``, ``!custom``); a timestamp must be a real date
  (no 2024-13-45, no 30 February) and comes back as its ISO text, as the same file in JSON would;
- **format_version**, where the top-level mapping has one, is a whole number from 0 to
  ``defaults.STRUCTURED_MAX_FORMAT_VERSION``.

The YAML reader builds values from libyaml's event stream in one loop, without recursion, so a
2,000-level file is refused at level 65 rather than crashing the reader.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from analysis import defaults
from analysis.errors import EmptyInputError, FileTooLargeError, UnreadableInputError
from analysis.ingest.limits import bytes_from_env, describe_size, max_file_bytes, require_file

Kind = Literal["scenario", "comparison report", "save file"]
Format = Literal["json", "yaml"]

SCENARIO_BYTES_ENV = "FAIRUSE_MAX_SCENARIO_BYTES"
REPORT_BYTES_ENV = "FAIRUSE_MAX_REPORT_BYTES"
SAVE_BYTES_ENV = "FAIRUSE_MAX_SAVE_BYTES"


def _report_default() -> int:
    return 2 * max_file_bytes() + defaults.REPORT_FIGURES_ALLOWANCE_BYTES


def _save_default() -> int:
    base64_work = 4 * math.ceil(max_file_bytes() / 3)
    return 2 * base64_work + max_bytes_for("comparison report") + max_bytes_for("scenario")


_LIMITS: dict[str, tuple[str, Callable[[], int]]] = {
    "scenario": (SCENARIO_BYTES_ENV, lambda: defaults.MAX_SCENARIO_BYTES),
    "comparison report": (REPORT_BYTES_ENV, _report_default),
    "save file": (SAVE_BYTES_ENV, _save_default),
}


def max_bytes_for(kind: Kind) -> int:
    """The size limit in force for ``kind``: its environment variable if set, else the default.

    The report and save-file defaults follow ``FAIRUSE_MAX_FILE_BYTES``, since they hold works.
    """
    env, default = _LIMITS[kind]
    return bytes_from_env(env, default())


class _Empty(Exception):
    """The file holds no value at all (only comments or document markers)."""


class _Refused(Exception):
    """A rule was broken; ``line`` is 1-based where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------- entry points
def read_structured(path: str | Path, *, kind: Kind, fmt: Format | None = None) -> Any:
    """Read and load the file at ``path`` (see ``load_structured``); never reads past the size limit."""
    p = require_file(path, f"a {kind} file")
    limit = max_bytes_for(kind)
    try:
        size = p.stat().st_size
        _check_size(size, p.name, kind, limit)
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {p}: {exc.strerror or exc}") from None
    return load_structured(data, p.name, kind=kind, fmt=fmt, max_bytes=limit)


def load_structured(
    data: bytes,
    name: str,
    *,
    kind: Kind,
    fmt: Format | None = None,
    max_bytes: int | None = None,
) -> Any:
    """Parse ``data`` (the bytes of the file called ``name``) as JSON or YAML under the rules above.

    ``fmt`` defaults to the name's suffix for a scenario (``.json`` is JSON, anything else YAML)
    and to JSON for reports and save files. ``max_bytes`` overrides the kind's size limit.
    """
    limit = max_bytes if max_bytes is not None else max_bytes_for(kind)
    _check_size(len(data), name, kind, limit)
    if fmt is None:
        fmt = "yaml" if kind == "scenario" and not name.lower().endswith(".json") else "json"
    text = _decode(data, name)
    if not text.strip():
        raise EmptyInputError(f"{name}: the file is empty")
    try:
        value = _parse_json(text, name) if fmt == "json" else _parse_yaml(text)
        _check_format_version(value)
    except _Empty:
        raise EmptyInputError(f"{name}: the file is empty (nothing but comments)") from None
    except _Refused as exc:
        where = f" at line {exc.line}" if exc.line else ""
        raise UnreadableInputError(" ".join(f"{name}: {exc}{where}".split())) from None
    return value


# --------------------------------------------------------------------------- shared rules
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def _check_size(n: int, name: str, kind: str, limit: int) -> None:
    if n > limit:
        env = _LIMITS[kind][0]
        raise FileTooLargeError(
            f"{name} is {describe_size(n)}, over the {describe_size(limit)} limit for a {kind}; set {env} to raise it"
        )


def _decode(data: bytes, name: str) -> str:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as exc:
                raise UnreadableInputError(
                    f"{name}: starts with a {enc.upper()} byte-order mark but byte {exc.start + len(bom)} is not {enc.upper()}"
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def _check_text(s: str, line: int | None = None, where: str = "") -> None:
    m = _SURROGATE.search(s)
    if m:
        at = f" in {where}" if where else ""
        raise _Refused(f"text{at} holds a lone surrogate \\u{ord(m.group()):04x}, which is not a character", line)


def _check_int_digits(n: int, line: int | None = None, where: str = "") -> None:
    if n > defaults.STRUCTURED_MAX_INT_DIGITS:
        raise _Refused(
            f"an integer of {n:,} digits{where}; numbers here have at most {defaults.STRUCTURED_MAX_INT_DIGITS} digits",
            line,
        )


def _check_float(x: float, text: str, line: int | None = None) -> float:
    if not math.isfinite(x):
        shown = text if len(text) <= 24 else text[:20] + "…"
        raise _Refused(f"{shown} is not a finite number (NaN and Infinity are not accepted)", line)
    return x


def _check_format_version(value: Any) -> None:
    if not isinstance(value, dict) or "format_version" not in value:
        return
    v = value["format_version"]
    top = defaults.STRUCTURED_MAX_FORMAT_VERSION
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= top:
        shown = repr(v) if len(repr(v)) <= 24 else repr(v)[:20] + "…"
        raise _Refused(f"format_version must be a whole number from 0 to {top}, not {shown}")


def _too_deep() -> _Refused:
    return _Refused(f"nested more than {defaults.STRUCTURED_MAX_DEPTH} levels deep")


# --------------------------------------------------------------------------- JSON
def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _Refused(f"duplicate key {_show_key(k)} in one object")
            seen.add(k)
    return out


def _json_constant(s: str) -> float:
    raise _Refused(f"{s} is not a finite number (NaN and Infinity are not accepted)")


_PYTHON_INT_LIMIT = re.compile(r"value has (\d+) digits")


def _parse_json(text: str, name: str) -> Any:
    try:
        value = json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            f"{name}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:  # Python itself refuses integers of more than 4,300 digits
        m = _PYTHON_INT_LIMIT.search(str(exc))
        _check_int_digits(int(m.group(1)) if m else sys.get_int_max_str_digits() + 1)
        raise
    _walk_json(value)
    return value


def _walk_json(value: Any) -> None:
    """Depth, number and lone-surrogate checks over a parsed JSON value, without recursion.

    Numbers are checked here rather than by ``json.loads`` hooks, and the first pass builds no
    paths: it runs over every value of a save file (with it, a 74 MB save file loads in about 1.5
    times ``json.loads``'s time: benchmarks/bench_structured.py). Only when it finds a problem
    does a second pass find where, for the message.
    """
    try:
        _scan(value, paths=False)
    except _Refused:
        _scan(value, paths=True)
        raise


def _scan(root: Any, *, paths: bool) -> None:
    search = _SURROGATE.search
    isfinite = math.isfinite
    int_limit = 10**defaults.STRUCTURED_MAX_INT_DIGITS
    stack: list[tuple[Any, int, str]] = [([root], 0, "")]  # a wrapper, so the root is checked like any item
    while stack:
        container, depth, path = stack.pop()
        if depth > defaults.STRUCTURED_MAX_DEPTH:
            raise _too_deep()
        if type(container) is dict:
            for k in container:
                if not k.isascii() and search(k):
                    _check_text(k, where=f"a key under {path}" if path else "a top-level key")
            items: Any = container.items()
        else:
            items = enumerate(container)
        for k, item in items:
            t = type(item)
            if t is str:
                if not item.isascii() and search(item):  # isascii is O(1): base64 and ASCII text skip the search
                    _check_text(item, where=(_path(path, k, depth) or "the top level") if paths else "")
            elif t is dict or t is list:
                stack.append((item, depth + 1, _path(path, k, depth) if paths else ""))
            elif t is float:
                if not isfinite(item):
                    where = f" in {_path(path, k, depth) or 'the top level'}" if paths else ""
                    raise _Refused(f"a number{where} is too large (it reads as infinite); Infinity is not accepted")
            elif t is int and not -int_limit < item < int_limit:
                where = f" in {_path(path, k, depth) or 'the top level'}" if paths else ""
                _check_int_digits(len(str(abs(item))), where=where)


def _path(parent: str, key: str | int, depth: int) -> str:
    if depth == 0:
        return ""  # the root itself
    if isinstance(key, int):
        return f"{parent}[{key}]"
    part = key if _PLAIN_KEY.fullmatch(key) else _show_key(key)
    return f"{parent}.{part}" if parent else part


def _show_key(k: Any) -> str:
    s = repr(k)
    return s if len(s) <= 40 else s[:36] + "…'"


# --------------------------------------------------------------------------- YAML
_YAML = "tag:yaml.org,2002:"
_NO_KEY = object()


def _parse_yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    scalars = yaml.constructor.SafeConstructor()
    stack: list[list[Any]] = []  # [container, pending key] per open mapping or sequence
    root: Any = _NO_KEY
    documents = 0

    def add(value: Any, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is _NO_KEY:
            if not isinstance(value, str):
                shown = "a list or mapping" if isinstance(value, (list, dict)) else repr(value)
                raise _Refused(f"a key must be text, not {shown} (put it in quotes)", line)
            if value in container:
                raise _Refused(f"duplicate key {_show_key(value)} in one mapping", line)
            frame[1] = value
        else:
            container[frame[1]] = value
            frame[1] = _NO_KEY

    try:
        for ev in yaml.parse(text, Loader=loader):
            line = ev.start_mark.line + 1 if ev.start_mark is not None else None
            if isinstance(ev, yaml.AliasEvent):
                raise _Refused(f"YAML aliases (*{ev.anchor}) are not accepted; write the value out", line)
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused("more than one YAML document (a second '---'); give one", line)
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                mapping = isinstance(ev, yaml.MappingStartEvent)
                if ev.tag not in (None, "!", _YAML + ("map" if mapping else "seq")):
                    raise _Refused(f"the YAML tag {ev.tag} is not accepted", line)
                if len(stack) >= defaults.STRUCTURED_MAX_DEPTH:
                    raise _too_deep()
                stack.append([{} if mapping else [], _NO_KEY])
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                add(stack.pop()[0], line or 0)
            elif isinstance(ev, yaml.ScalarEvent):
                add(_yaml_scalar(ev, resolver, scalars, line), line or 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "unreadable").split())
        if "nesting depth" in problem:  # libyaml's own limit (1,000 levels), met before ours in flow style
            raise _too_deep() from None
        raise _Refused(f"malformed YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise _Refused(
            f"the character U+{code:04X} (offset {exc.position}) is not allowed in YAML; control characters are not"
        ) from None
    except yaml.YAMLError as exc:
        raise _Refused("malformed YAML: " + " ".join(str(exc).split())[:200]) from None
    if root is _NO_KEY:
        raise _Empty()
    return root


def _yaml_scalar(ev: Any, resolver: Any, scalars: Any, line: int | None) -> Any:
    import yaml

    tag = ev.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, style=ev.style)
    kind = tag[len(_YAML) :] if tag.startswith(_YAML) else None
    if kind == "str":
        _check_text(ev.value, line)
        return ev.value
    if kind == "null":
        return None
    if kind == "bool":
        return scalars.construct_yaml_bool(node)
    if kind == "int":
        # Hex, octal and sexagesimal literals too: never convert a literal longer than any allowed value.
        _check_int_digits(len(ev.value.lstrip("+-").replace("_", "")) if len(ev.value) > 64 else 0, line)
        n = scalars.construct_yaml_int(node)
        _check_int_digits(len(str(abs(n))), line)
        return n
    if kind == "float":
        return _check_float(scalars.construct_yaml_float(node), ev.value, line)
    if kind == "timestamp":
        try:
            stamp = scalars.construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _Refused(f"{ev.value} is not a real date ({exc})", line) from None
        return stamp.isoformat()
    if kind == "merge":
        raise _Refused("YAML merge keys (<<) are not accepted; write the fields out", line)
    raise _Refused(f"the YAML tag {tag} is not accepted", line)
