from django.contrib.postgres.search import SearchVectorField


class TsVectorField(SearchVectorField):
    """The tsvector columns of migrations 0001 to 0011, dropped by 0012 (search runs on articles/search/'s index).
    Kept only because those migrations name it.

    The explicit cast lets the literal travel as a plain string parameter in INSERT, UPDATE and the CASE
    expressions of bulk_update alike.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector"
