"""Typed errors. Every problem with what the user gave us is an ``InputError``.

The CLI turns an ``InputError`` into one readable line on stderr and exit status 2;
the app shows its message next to the input it concerns. Nothing else should escape
as a traceback for bad input.
"""

from __future__ import annotations


class FairUseError(Exception):
    """Base class for every error this package raises on purpose."""


class InputError(FairUseError):
    """Something the user supplied cannot be used. The message is shown as is."""

    exit_code = 2


class EmptyInputError(InputError):
    """The input has no usable content (empty, whitespace only)."""


class FileTooLargeError(InputError):
    """The input exceeds a configured size limit."""


class UnreadableInputError(InputError):
    """The input cannot be decoded or parsed (binary given as text, corrupt file)."""


class UnsupportedFormatError(InputError):
    """The input's format is recognised but not supported (SVG, HEIC, scanned PDF)."""


class MissingInputError(InputError):
    """A path that does not exist."""


class ScenarioError(InputError):
    """A scenario file is malformed, has unknown fields, or contradicts itself."""


class StaleEvidenceError(InputError):
    """A comparison report no longer matches the works (a work changed after it was measured):
    no memo is built from it, and none is built as if it had never existed."""


class ModelUnavailableError(FairUseError):
    """A requested model cannot be loaded (not installed, offline, wrong path).

    The message says how to provide one.
    """

    exit_code = 3
