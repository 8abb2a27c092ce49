"""OpenAPI generation: the error answers every endpoint can give are part of the schema,
so clients (and schema-driven tests) know their shape."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Field name (or `non_field_errors`) → list of messages in the user's language, "
        'e.g. `{"vin": ["The VIN check digit (9th character) should be 7, not 5."]}`.'
    ),
    "additionalProperties": {},
}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(SpectacularAutoSchema):
    def _requires_login(self):
        return not any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {}
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or self._is_list_view():
            errors["400"] = _json("Invalid input; messages per field.", FIELD_ERRORS)
        if self._requires_login():
            errors["401"] = _json("Not signed in (no or bad token or session).", DETAIL)
            errors["403"] = _json("The user's role may not do this.", DETAIL)
        if "{" in self.path or self._is_list_view():
            errors["404"] = _json("Not found, or outside the user's stores (also a bad page).", DETAIL)
        if self.method == "DELETE":
            errors["409"] = _json("Still used by other records.", DETAIL)
        if writes:
            errors.setdefault("409", _json("Conflicts with a record saved at the same time.", DETAIL))
        if self.view.get_throttles():
            errors["429"] = _json("Too many requests; wait and retry.", DETAIL)
        for code, response in errors.items():
            responses.setdefault(code, response)
        return responses
