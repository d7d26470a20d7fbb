"""The process around a command: its standard streams, Ctrl-C, and how every run ends.

Shared by the Typer command line (`cli`) and the plain forms that run without it
(`launch`), so that a command ends the same way whichever ran it. Exit codes follow
grep: 0 found, 1 nothing found (or unknown id, or the output could not be written), 2
usage or catalog error (or stdin could not be read), 3 when `explain --fail-on` saw an
entry that severe (or, with `unknown`, an error line nothing matched), 130 after Ctrl-C,
143 after SIGTERM, 141 when the reader went away. Imports nothing of Typer or Rich.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from junidiag import interrupted_while_starting

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_SEVERE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 143
"""128 + SIGTERM."""
EXIT_WRITE_FAILED = EXIT_NOTHING
"""The output could not be written (a full disk, a closed stdout): 1, as cat and grep."""
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, as cat and grep end when the reader goes away: the output was cut short."""
REPORT_URL = "the junidiag issue tracker"


# --- while Python loads the command ---------------------------------------------------


def is_the_program() -> bool:
    """Whether this import runs the `junidiag` command (its script, `python -m junidiag`),
    rather than a program or a test runner that imports the package."""
    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if spec is not None:
        return bool(spec.name == "junidiag.__main__")
    return Path(getattr(program, "__file__", "") or "").name.startswith("junidiag")


def stop_quietly_while_starting() -> None:
    """Until the command runs, Ctrl-C stops the program with one line (the command's own
    handling takes over in `prepare`). The package installs this first for the console
    script; here it is installed for `python -m junidiag` too."""
    if is_the_program() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupted_while_starting)


def prepare() -> None:
    """The standard streams made safe to use, and Ctrl-C a KeyboardInterrupt again."""
    _standard_streams()
    _lossless_writes()
    _whole_writes()
    if signal.getsignal(signal.SIGINT) is interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_STANDARD_STREAMS = (
    (0, "stdin", os.O_WRONLY, "r"),
    (1, "stdout", os.O_RDONLY, "w"),
    (2, "stderr", os.O_WRONLY, "w"),
)


def _standard_streams() -> None:
    """A closed standard stream (`<&-`, `>&-`, `2>&-`) gets /dev/null in its place, so
    that nothing opened later takes its number and receives what was meant for it.
    Stdin and stdout get it the wrong way round: reading or writing them then fails
    with EBADF, which is reported in one line as `cat` does (exit 2 for stdin, 1 for
    stdout); what would go to a closed stderr is dropped, never sent to stdout."""
    for number, name, flags, mode in _STANDARD_STREAMS:
        try:
            os.fstat(number)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, flags)
            if null != number:
                os.dup2(null, number)
                os.close(null)
            setattr(sys, name, open(number, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
        except OSError:
            continue


def _lossless_writes() -> None:
    """Where stdout or stderr cannot encode every character (a Latin-1 or ASCII locale,
    `PYTHONIOENCODING=latin-1`), one it cannot encode is written as an escape
    (`\\u2192`) instead of failing the command: a view stays readable (JSON is written
    in UTF-8 as bytes, past this; see `Output`)."""
    codecs.register_error(_ESCAPE, _json_escape)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not _encodes_everything(stream.encoding):
            with contextlib.suppress(OSError, ValueError, LookupError):
                stream.reconfigure(errors=_ESCAPE)


_ESCAPE = "junidiag-json-escape"


def _encodes_everything(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """`\\uXXXX` for each character that cannot be encoded (a surrogate pair above U+FFFF)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _whole_writes() -> None:
    """Under PYTHONUNBUFFERED (common in containers) stdout hands each write straight to
    the descriptor, where a signal can cut it short and the rest is lost: a JSON object
    cut in two when Ctrl-C comes while the reader is slow. Give it a buffer, which
    writes all it is given, flushed at every line so that output still comes at once."""
    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if isinstance(raw, io.RawIOBase) and isinstance(stdout, io.TextIOWrapper):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=stdout.encoding,
            errors=stdout.errors,
            line_buffering=True,
        )


# --- how a command ends ---------------------------------------------------------------


def outcome(command: Callable[[], object], crashed: Callable[[Exception], int]) -> int:
    """The exit code of `command()` (0 unless it returns one), whatever happens in it:
    Ctrl-C, a reader gone away and any failure become an exit code (`crashed` says
    which for an exception), never a traceback."""
    try:
        code = command()
    except KeyboardInterrupt:
        quiet_stderr("Interrupted.")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = after_broken_pipe()
    except SystemExit as exit_:
        # Click and Rich (printing --help) exit 1 on EPIPE: "nothing matched" here
        if not _exited_on_broken_pipe(exit_):
            raise
        code = after_broken_pipe()
    except Exception as error:  # the last line of defence: never a traceback
        code = crashed(error)
    return code if isinstance(code, int) else EXIT_FOUND


def exit_with(code: int) -> NoReturn:
    """End the process with `code`, once what is buffered for stdout is written."""
    try:
        sys.stdout.flush()
    except OSError as error:
        code = after_broken_pipe() if error.errno == errno.EPIPE else _write_failed(error)
    except ValueError:
        code = after_broken_pipe()
    sys.exit(code)


def crash_code(error: Exception) -> int:
    """The exit code of an unexpected exception, said in one line: a reader gone away
    or output that cannot be written, else an internal error (its traceback only with
    JUNIDIAG_DEBUG=1)."""
    if isinstance(error, OSError) and getattr(error, "errno", None) == errno.EPIPE:
        return after_broken_pipe()
    if isinstance(error, OSError) and getattr(error, "errno", None) in _WRITE_ERRORS:
        return _write_failed(error)
    if os.environ.get("JUNIDIAG_DEBUG"):
        raise error
    name = type(error).__name__
    print(
        f"junidiag: internal error ({name}); run again with JUNIDIAG_DEBUG=1 for details "
        f"and report it to {REPORT_URL}.",
        file=sys.stderr,
    )
    return EXIT_USAGE


def _exited_on_broken_pipe(exit_: SystemExit) -> bool:
    """Whether Click (which then wraps stdout to pacify later flushes) or a Rich console
    (in `on_broken_pipe`) exited because the reader went away."""
    click_utils = sys.modules.get("typer._click.utils")  # only Click wraps stdout so
    if click_utils is not None and isinstance(sys.stdout, click_utils.PacifyFlushWrapper):
        return True
    frame = exit_.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_code.co_name == "on_broken_pipe"


def after_broken_pipe() -> int:
    """The reader went away (`| head -1`): stop quietly, with the status grep and cat
    have then — not 0 or 3, which would claim a verdict on input never read to the end."""
    _discard_stdout()
    return EXIT_BROKEN_PIPE


_WRITE_ERRORS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EAGAIN", "ENXIO", "EROFS")
    if hasattr(errno, name)
)
"""What writing the output can fail with (files are read elsewhere, each failure handled)."""


def _write_failed(error: OSError) -> int:
    """The output could not be written (`> /dev/full`, `>&-`): say so in one line, as
    `cat: write error: No space left on device` does, and exit 1. What is still buffered
    for stdout goes to /dev/null, so that Python does not complain again at exit."""
    quiet_stderr(f"error: write error: {error.strerror or error}")
    _discard_stdout()
    return EXIT_WRITE_FAILED


def _discard_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def quiet_stderr(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"junidiag: {message}", file=sys.stderr)
        sys.stderr.flush()
