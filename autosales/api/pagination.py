"""Pagination of every API list.

Two modes on the same URL:

* page numbers (default): ``?page=3&page_size=100`` (``page_size`` up to 500); the answer has
  ``count``, ``next``, ``previous`` and ``results``. The database counts every row and skips
  ``(page - 1) × page_size`` primary keys, so the cost grows with the page number (on a million
  vehicles in PostgreSQL: page 1 ≈ 0.2 s, page 20,000 ≈ 0.7 s).
* keyset (cursor): ``?pagination=cursor`` (or any ``cursor=``) walks the rows by id — newest
  first, or oldest first with ``ordering=id`` — and answers ``next``, ``previous`` and
  ``results`` without ``count``. Each page is one indexed range scan, as fast at the end of a
  million rows as at the start (≈ 0.06 s); follow the ``next`` link to go on.
"""

from rest_framework.pagination import CursorPagination, PageNumberPagination

from autosales.core.loading import loads_models_by_pk, rows_by_id, unfiltered_model_rows


class KeysetPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        return ("id",) if request.query_params.get("ordering") == "id" else ("-id",)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    mode_query_param = "pagination"

    def _wants_keyset(self, request):
        return "cursor" in request.query_params or request.query_params.get(self.mode_query_param) == "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if self._wants_keyset(request):
            self.keyset = KeysetPagination()
            return self.keyset.paginate_queryset(queryset, request, view)
        if not loads_models_by_pk(queryset) or (
            self._skips_few_rows(request) and not unfiltered_model_rows(queryset)
        ):
            return super().paginate_queryset(queryset, request, view)
        # Deep pages, deferred join: the database skips rows reading only the primary key index,
        # then loads the page's rows with their joins and annotations by id (``rows_by_id``).
        # Unfiltered lists with joins take this way from the first page (see ``page_rows``).
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        return rows_by_id(queryset, ids)

    # Up to this many rows before the page, the page's rows are read in one query; past them,
    # skipping joined rows costs more than a second query by id.
    deferred_join_after = 1000

    def _skips_few_rows(self, request) -> bool:
        number = request.query_params.get(self.page_query_param, "1")
        if not number.isdigit():
            return False
        return (max(int(number), 1) - 1) * self.get_page_size(request) <= self.deferred_join_after

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        url = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Number of rows (page-number mode only).",
                    "example": 123,
                },
                "next": url,
                "previous": url,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.mode_query_param,
                "required": False,
                "in": "query",
                "description": "`cursor` for keyset pagination: fast deep pages, no count.",
                "schema": {"type": "string", "enum": ["cursor"]},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Position of a keyset page, taken from the `next` or `previous` link.",
                "schema": {"type": "string"},
            },
        ]
