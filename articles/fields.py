from django.contrib.postgres.search import SearchVectorField


class TsVectorField(SearchVectorField):
    """A tsvector column written from a literal built in Python (articles.arabic.tsvector).

    The explicit cast lets the literal travel as a plain string parameter in INSERT, UPDATE and the CASE
    expressions of bulk_update alike.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector"
