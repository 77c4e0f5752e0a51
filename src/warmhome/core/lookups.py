"""A lookup Django leaves open: ``in`` with an integer the column cannot hold.

Django drops out-of-range integers from ``exact``, ``gt`` and the like, but not from ``in``:
SQLite then raises OverflowError, and a forged value in a multiple-choice form field (ticked
records are looked up with ``pk__in``) answered 500 instead of "not a valid choice".
"""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``in`` leaving out the integers outside the column's range: none of them can match."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
