"""Reading alert payloads field by field: the error that names the JSON path of a bad
value, and the checks that raise it (``alerts`` parses Alertmanager and PagerDuty
payloads with them)."""

from __future__ import annotations

from datetime import datetime

__all__ = ["PayloadError"]

_ZERO_TIME_PREFIX = "0001-01-01T00:00:00"  # Go's time.Time{}: "not set"


class PayloadError(ValueError):
    """A payload that is not valid JSON or not of the expected shape.

    ``path`` is the JSON path of the offending value (``alerts[1].labels``; empty for
    the top level; None when the text is not JSON at all), ``problem`` what is wrong,
    ``file`` where it came from (for syntax errors ``file:line:col``).
    """

    def __init__(self, path: str | None, problem: str, file: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.file = file
        parts = [file] if file else []
        if path is not None:
            parts.append(path or "top level")
        parts.append(problem)
        super().__init__(": ".join(parts))

    def in_file(self, file: str) -> PayloadError:
        """The same error, prefixed with the file it was read from."""
        return PayloadError(self.path, self.problem, file)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(value: object, path: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise PayloadError(path, f"expected an object, got {_json_type(value)}")
    return value


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise PayloadError(path, f"expected a string, got {_json_type(value)}")
    return value


def _required(obj: dict[str, object], key: str, path: str) -> object:
    if key not in obj:
        raise PayloadError(_join(path, key), "missing (required)")
    return obj[key]


def _string_map(value: object, path: str) -> dict[str, str]:
    obj = _object(value, path)
    for key, item in obj.items():
        _string(item, _join(path, key))
    return obj  # type: ignore[return-value]  # every value was just checked to be a str


def _minutes(value: object, path: str) -> float | None:
    """RFC 3339 text -> minutes since the Unix epoch; Go's zero time -> None."""
    text = _string(value, path)
    if text.startswith(_ZERO_TIME_PREFIX):
        return None
    try:
        # Python 3.11 accepts 'Z', '+0000' and nanosecond fractions (truncated to µs).
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadError(path, f"not an RFC 3339 timestamp: {text!r}") from None
    if moment.tzinfo is None:
        raise PayloadError(path, f"timestamp {text!r} has no time zone (add 'Z' or an offset)")
    return moment.timestamp() / 60.0
