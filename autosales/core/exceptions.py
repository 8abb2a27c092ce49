from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused a change. The message is for the user, in their language."""
