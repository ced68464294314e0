"""`pk__any=ids`: membership in a list of ids passed as one array parameter (`id = ANY(%s)`).

`pk__in` writes one placeholder per id. A large search passes thousands of ids between its steps (the text
matches to the topic filter, the chosen ids to the facets and the ranking), and with `IN` PostgreSQL spends more
time parsing and planning the list than running the query: 85 to 130 ms against 55 ms for 10,000 ids at a
million articles.
"""

from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
