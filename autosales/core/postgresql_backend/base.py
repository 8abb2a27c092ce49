"""PostgreSQL with parameters bound on the server.

Bound parameters let PostgreSQL prepare a statement that a connection runs again and again. The
protocol carries at most 65,535 parameters in one statement, though, and Django does not split
long ``IN`` lists or large ``bulk_create`` batches for PostgreSQL; such a statement is sent with
its values written in, as client-side binding sends every statement.
"""

import psycopg
from django.db.backends.postgresql import base

MAX_BOUND_PARAMETERS = 65_535


class ServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            query, params = psycopg.ClientCursor(self.connection).mogrify(query, params), None
        return super().execute(query, params, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ServerBindingCursor
        return params
