"""The signature of a certificate: a keyed HMAC over its canonical content.

The key is derived from ``SECRET_KEY`` (``salted_hmac`` with this module's salt), so only the
platform can sign, and rotating the secret key invalidates every printed QR code (re-issue).
"""

import hmac
import json
from typing import Any

from django.utils.crypto import salted_hmac

SALT = "warmhome.certificates.signature"
#: hex characters kept: 80 bits, short enough to type from paper
SIGNATURE_LENGTH = 20


def canonical_content(
    *, number: str, holder: str, kind: str, issued_on: str, issuer: str, facts: Any
) -> str:
    """The certificate's content as one unambiguous string (sorted keys, no spacing)."""
    return json.dumps(
        {
            "number": number,
            "holder": holder,
            "kind": kind,
            "issued_on": issued_on,
            "issuer": issuer,
            "facts": facts,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def sign(content: str) -> str:
    return salted_hmac(SALT, content, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def matches(content: str, signature: str) -> bool:
    return hmac.compare_digest(sign(content), signature.strip().lower())
