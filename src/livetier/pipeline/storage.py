"""Where input and output live: a local path, or a URL read through Spark's Hadoop FileSystem.

The data contract (pipeline/contract.py) finds tables and day partitions through one small
path interface, ``DataPath``: the part of ``pathlib.Path`` it uses. A local folder is a plain
``pathlib.Path``, exactly as before. A URL (``hdfs://``, ``s3a://``, ``abfss://``,
``file://``, ...) is a ``HadoopPath``: listed, measured and opened through the Hadoop
FileSystem API of the running Spark session (py4j), so it reaches whatever file systems that
Spark installation has the jars and settings for. Which one a ``--data`` or ``--out`` value
becomes is decided here, by ``location``; the engine supplies the URL opener (engine.py).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple, Protocol, Self, overload

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+):(?P<rest>/.*)$")
"""A URL with a scheme of two or more letters: ``C:\\data`` stays a (Windows) path."""


def is_url(text: str) -> bool:
    """Whether ``text`` names a location by URL (``scheme:/...``) rather than a local path."""
    return _URL.match(text) is not None


class StatLike(Protocol):
    """What a file's fingerprint uses: its size and modification time."""

    @property
    def st_size(self) -> int: ...

    @property
    def st_mtime_ns(self) -> int: ...


class DataPath(Protocol):
    """The part of ``pathlib.Path`` that locating and checking input needs.

    ``pathlib.Path`` is one (local files); ``HadoopPath`` is the other (URLs on Spark).
    ``str()`` gives what an engine's reader takes and what messages show.
    """

    @property
    def name(self) -> str: ...

    @property
    def suffix(self) -> str: ...

    @property
    def parent(self) -> Self: ...

    def __truediv__(self, key: str) -> Self: ...

    def __lt__(self, other: Self) -> bool: ...

    def is_dir(self) -> bool: ...

    def is_file(self) -> bool: ...

    def exists(self) -> bool: ...

    def iterdir(self) -> Iterator[Self]: ...

    def stat(self) -> StatLike: ...

    @overload
    def open(
        self,
        mode: Literal["r"] = "r",
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> IO[str]: ...

    @overload
    def open(self, mode: Literal["rb"]) -> IO[bytes]: ...


def location(
    text: str | Path, open_url: Callable[[str], DataPath] | None, option: str = "--data"
) -> DataPath:
    """The path ``text`` names: a local ``Path``, or a URL opened by the engine's
    ``open_url`` (None: the engine reads local paths only, and a URL is refused)."""
    text = str(text)
    if not is_url(text):
        return Path(text)
    if open_url is None:
        raise ValueError(
            f"{option} {text}: a URL needs --engine spark (the DuckDB engine reads local "
            "paths only); give a local path to run on DuckDB"
        )
    return open_url(text)


def remove_tree(path: DataPath) -> None:
    """Delete a folder and everything in it (a failed output's temporary folder)."""
    if isinstance(path, HadoopPath):
        path.remove_tree()
    elif isinstance(path, Path):
        shutil.rmtree(path, ignore_errors=True)


def make_dirs(path: DataPath) -> None:
    """Create a folder and its parents (nothing if it exists)."""
    if isinstance(path, HadoopPath | Path):
        path.mkdir(parents=True, exist_ok=True)


def remove_file(path: DataPath) -> None:
    """Delete a file if it is there."""
    if isinstance(path, HadoopPath):
        path.remove_tree()
    elif isinstance(path, Path):
        path.unlink(missing_ok=True)


def touch(path: DataPath) -> None:
    """Create an empty file (a marker such as ``_SUCCESS``)."""
    if isinstance(path, HadoopPath | Path):
        path.touch()


def rename(source: DataPath, target: DataPath) -> None:
    """Move ``source`` to the new name ``target`` (which must not exist): one atomic step on
    a local disk and on HDFS; on object stores (S3) a copy, as their rename is."""
    if isinstance(source, HadoopPath) and isinstance(target, HadoopPath):
        source.rename(target)
        return
    if isinstance(source, Path) and isinstance(target, Path):
        source.rename(target)
        return
    raise ValueError(f"cannot move {source} to {target}: different file systems")


class Stat(NamedTuple):
    """A file's size and modification time, as the Hadoop FileSystem listed them."""

    st_size: int
    st_mtime_ns: int


@dataclass(frozen=True)
class _Status:
    is_dir: bool
    size: int
    mtime_ns: int


class HadoopFiles:
    """The Hadoop FileSystem API of a Spark session, through py4j: every file system the
    Spark installation supports (``hdfs://``, ``s3a://`` with hadoop-aws, ``file://``, ...),
    with its settings (``spark.hadoop.*``)."""

    def __init__(self, session: Any) -> None:
        self._jvm = session._jvm
        self._conf = session._jsc.hadoopConfiguration()

    def path(self, url: str) -> HadoopPath:
        """The URL as a path; ``scheme:/x`` is written ``scheme:///x`` (the same location),
        the form Spark's and Ibis's readers take unchanged."""
        match = _URL.match(url)
        if match is None:
            raise ValueError(f"{url}: not a URL (expected scheme://...)")
        scheme, rest = match["scheme"], match["rest"]
        if not rest.startswith("//"):
            rest = "//" + rest
        return HadoopPath(f"{scheme}:{rest}", self)

    def _call(self, url: str, action: Callable[[Any, Any], Any]) -> Any:
        """Run ``action(filesystem, hadoop_path)``; Java errors become OSError with the
        file system's own words (FileNotFoundError for a missing path)."""
        from py4j.protocol import Py4JJavaError

        try:
            jpath = self._jvm.org.apache.hadoop.fs.Path(url)
            return action(jpath.getFileSystem(self._conf), jpath)
        except Py4JJavaError as e:
            java = e.java_exception
            kind = java.getClass().getName()
            message = str(java.getMessage() or kind).strip().splitlines()[0]
            if kind == "java.io.FileNotFoundException":
                raise FileNotFoundError(f"{url}: no such file or folder") from None
            raise OSError(f"{url}: {message}") from None


def _status(java_status: Any) -> _Status:
    return _Status(
        bool(java_status.isDirectory()),
        int(java_status.getLen()),
        int(java_status.getModificationTime()) * 1_000_000,  # milliseconds
    )


class HadoopPath:
    """A file or folder named by URL, reached through ``HadoopFiles``. Children listed by
    ``iterdir`` carry the listing's status (kind, size, modification time), so walking a
    folder of partitions costs one listing per folder."""

    def __init__(self, url: str, files: HadoopFiles, status: _Status | None = None) -> None:
        self._url = url.rstrip("/") if url.rstrip("/").count("/") > 2 else url
        self._files = files
        self._known = status

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        return f"HadoopPath({self._url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HadoopPath) and other._url == self._url

    def __hash__(self) -> int:
        return hash(self._url)

    def __lt__(self, other: HadoopPath) -> bool:
        return self._url < other._url

    @property
    def name(self) -> str:
        head, _, tail = self._url.rpartition("/")
        return tail if head.count("/") >= 2 and not head.endswith(":/") else ""

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:] if 0 < dot < len(name) - 1 else ""

    @property
    def parent(self) -> HadoopPath:
        if not self.name:
            return self
        head = self._url.rpartition("/")[0]
        return HadoopPath(head + "/" if head.endswith("://") else head, self._files)

    def __truediv__(self, key: str) -> HadoopPath:
        return HadoopPath(f"{self._url.rstrip('/')}/{key}", self._files)

    def _stat(self) -> _Status | None:
        if self._known is None:
            try:
                found = self._files._call(self._url, lambda fs, p: fs.getFileStatus(p))
                self._known = _status(found)
            except FileNotFoundError:
                return None
        return self._known

    def exists(self) -> bool:
        return self._stat() is not None

    def is_dir(self) -> bool:
        found = self._stat()
        return found is not None and found.is_dir

    def is_file(self) -> bool:
        found = self._stat()
        return found is not None and not found.is_dir

    def stat(self) -> Stat:
        found = self._stat()
        if found is None:
            raise FileNotFoundError(f"{self._url}: no such file or folder")
        return Stat(found.size, found.mtime_ns)

    def iterdir(self) -> Iterator[HadoopPath]:
        listed = self._files._call(self._url, lambda fs, p: fs.listStatus(p))
        children = []
        for java_status in listed:
            name = str(java_status.getPath().getName())
            children.append(HadoopPath(f"{self._url}/{name}", self._files, _status(java_status)))
        return iter(children)

    @overload
    def open(
        self,
        mode: Literal["r"] = "r",
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> IO[str]: ...

    @overload
    def open(self, mode: Literal["rb"]) -> IO[bytes]: ...

    def open(
        self,
        mode: str = "r",
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> IO[Any]:
        """Read the file ("r" or "rb"); seekable, so pyarrow can read a Parquet footer."""
        if mode not in ("r", "rb"):
            raise ValueError(f"{self._url}: only reading is supported, not mode {mode!r}")
        stream = self._files._call(self._url, lambda fs, p: fs.open(p))
        raw = _HadoopReader(stream, self.stat().st_size)
        binary = io.BufferedReader(raw, buffer_size=1 << 20)
        if mode == "rb":
            return binary
        return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=newline)

    def mkdir(self, parents: bool = True, exist_ok: bool = True) -> None:
        if not self._files._call(self._url, lambda fs, p: fs.mkdirs(p)):
            raise OSError(f"{self._url}: cannot create the folder")
        self._known = None

    def rename(self, target: HadoopPath) -> None:
        moved = self._files._call(
            self._url,
            lambda fs, p: fs.rename(p, self._files._jvm.org.apache.hadoop.fs.Path(str(target))),
        )
        if not moved:  # Hadoop says no with False (target exists, parent missing, ...)
            raise OSError(f"cannot rename {self._url} to {target}")

    def touch(self) -> None:
        self._files._call(self._url, lambda fs, p: fs.create(p, True).close())
        self._known = None

    def remove_tree(self) -> None:
        self._files._call(self._url, lambda fs, p: fs.delete(p, True))
        self._known = None


class _HadoopReader(io.RawIOBase):
    """A Hadoop FSDataInputStream as a Python raw binary stream (seekable)."""

    def __init__(self, stream: Any, size: int) -> None:
        self._stream = stream
        self._size = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return int(self._stream.getPos())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.tell(), io.SEEK_END: self._size}[whence]
        self._stream.seek(max(0, base + offset))
        return self.tell()

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        chunk = bytes(self._stream.readNBytes(len(view)))  # Java 11+: up to n bytes, b"" at end
        view[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()
