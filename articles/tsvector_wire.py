"""tsvectors sent to PostgreSQL in its binary wire format (built by articles.arabic.vectors_binary).

The server stores a binary tsvector almost as it comes, where the text form has to be parsed: a third of the
database's work in a reindex and a large share of it in an import.
"""
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
