"""Money in yuan: ``Decimal`` with two places, never ``float``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
#: ``max_digits`` of every amount column: up to 9,999,999,999.99 yuan
MAX_DIGITS = 12


def money(value: Any) -> Decimal:
    """``value`` (Decimal, int or text such as "12.30") as yuan with two places.

    A ``float`` is refused outright: 0.1 + 0.2 is not 0.3 in binary and a ledger must add up.
    """
    if isinstance(value, float | bool):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("金额格式不正确，请填写数字，最多两位小数。")) from None
    if not amount.is_finite():
        raise ValidationError(_("金额格式不正确，请填写数字，最多两位小数。"))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def positive_money(value: Any) -> Decimal:
    """``money(value)``, refused unless greater than zero."""
    amount = money(value)
    if amount <= ZERO:
        raise ValidationError(_("金额必须大于零。"))
    return amount


def yuan(amount: Decimal | int) -> str:
    """``Decimal("1234.5")`` → ``"1,234.50"`` for pages and documents."""
    return f"{money(amount):,.2f}"
