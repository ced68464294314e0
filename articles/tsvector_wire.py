"""tsvectors sent to PostgreSQL in its binary wire format (built by articles.arabic.vectors_binary).

The server stores a binary tsvector almost as it comes, where the text form has to be parsed: a third of the
database's work in a reindex and a large share of it in an import.
"""
import struct
from collections.abc import Iterable

from psycopg import postgres
from psycopg.adapt import AdaptersMap, Dumper
from psycopg.pq import Format


class BinaryTsVector:
    """Bytes already in tsvector_recv's format."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data


class BinaryTsVectorDumper(Dumper):
    format = Format.BINARY
    oid = postgres.types["tsvector"].oid

    def dump(self, obj: BinaryTsVector) -> bytes:
        return obj.data


def register(adapters: AdaptersMap) -> None:
    """Teach a connection or cursor to send BinaryTsVector values, as parameters (%b) and in binary COPY."""
    adapters.register_dumper(BinaryTsVector, BinaryTsVectorDumper)


def with_lexemes(vector: bytes, lexemes: Iterable[str]) -> bytes:
    """`vector` (tsvector_recv's format) with lexemes added that have no positions (an article's topics)."""
    extra = [lexeme.encode() + b"\0\0\0" for lexeme in lexemes]  # NUL, then a 16-bit count of 0 positions
    if not extra:
        return vector
    (count,) = struct.unpack_from(">i", vector)
    return struct.pack(">i", count + len(extra)) + vector[4:] + b"".join(extra)
