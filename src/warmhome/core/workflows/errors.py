"""The refusals of the workflow engine, each with a Chinese message for the person."""

from django.core.exceptions import ValidationError
from django.http import Http404


class TransitionError(ValidationError):
    """The transition cannot be taken now: wrong state, missing comment or field, a guard."""


class TransitionConflictError(TransitionError):
    """Someone else moved the record since the page was loaded (double click, two approvers)."""


class TransitionNotPermittedError(Http404):
    """The actor holds no post granting the transition over the record's organisation.

    A 404 like any record of another organisation: the refusal does not confirm it exists.
    """
