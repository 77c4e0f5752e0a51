"""Protected fields: authenticated encryption at rest and keyed blind indexes.

Algorithms (``settings.FIELD_ENCRYPTION_ALGORITHM``):

- ``"AES-256-GCM"`` (default): AES-256-GCM; sub-keys by HKDF-SHA256; blind index HMAC-SHA256.
- ``"SM4-GCM"`` (国密, for deployments under 密评): SM4-GCM; sub-keys by HKDF-SM3; blind index
  HMAC-SM3.

Keys (``settings.FIELD_ENCRYPTION_KEYS``): a list of ``"id:base64key"``; the first is current
(new encryptions and every blind index use it), the others only decrypt. A key is 32 bytes for
AES-256-GCM and 16 bytes for SM4-GCM; the current key must fit the selected algorithm. The
configured key is never used directly: HKDF derives one sub-key per purpose from it (``info`` =
``warmhome/field-encryption/v1`` for encryption, ``warmhome/blind-index/v1/<purpose>`` for each
blind index), so one configured key serves encryption and every index, and indexes of different
purposes cannot be linked with each other.

Token (what the database holds), ASCII text::

    wh1:<algorithm id>:<key id>:<base64url(nonce(12) ‖ ciphertext ‖ tag(16))>

with algorithm id ``A`` (AES-256-GCM) or ``S`` (SM4-GCM). The header ``wh1:<alg>:<key id>:`` is
authenticated as associated data, so it cannot be swapped. Nonces are random (96 bits): keep
fewer than 2**32 encryptions per key — rotate keys long before that.

A blind index changes with the current key: after a key change, run ``warmhome crypto rotate``
(which re-encrypts and re-indexes everything); until it has run, look up with
``blind_index_candidates`` (every configured key). See docs/decisions/0006-field-encryption.md.
"""

import base64
import binascii
import functools
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver

FORMAT_VERSION = "wh1"
NONCE_BYTES = 12
TAG_BYTES = 16
ALGORITHM_IDS: dict[str, str] = {"AES-256-GCM": "A", "SM4-GCM": "S"}
ALGORITHM_BY_ID = {short: name for name, short in ALGORITHM_IDS.items()}
KEY_BYTES: dict[str, int] = {"AES-256-GCM": 32, "SM4-GCM": 16}
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_TOKEN = re.compile(r"wh1:([AS]):([A-Za-z0-9_-]{1,16}):([A-Za-z0-9_-]+)")
ENCRYPTION_INFO = b"warmhome/field-encryption/v1"
INDEX_INFO = b"warmhome/blind-index/v1/"


class DecryptionError(Exception):
    """A stored value could not be decrypted: malformed, unknown key, or altered."""


@dataclass
class Keyring:
    """The configured keys, parsed and checked, with their derived sub-keys (cached)."""

    algorithm: str
    keys: dict[str, bytes]
    current_id: str
    _derived: dict[tuple[str, str, bytes], bytes] = field(default_factory=dict, repr=False)
    _ciphers: dict[tuple[str, str], "_Cipher"] = field(default_factory=dict, repr=False)
    _index_keys: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)

    def derive(self, key_id: str, algorithm: str, info: bytes, length: int) -> bytes:
        cache_key = (key_id, algorithm, info)
        if cache_key not in self._derived:
            material = self.keys[key_id]
            if len(material) != KEY_BYTES[algorithm]:
                raise DecryptionError(
                    f"Key {key_id!r} has {len(material)} bytes; {algorithm} needs "
                    f"{KEY_BYTES[algorithm]}."
                )
            hash_algorithm = hashes.SM3() if algorithm == "SM4-GCM" else hashes.SHA256()
            hkdf = HKDF(algorithm=hash_algorithm, length=length, salt=None, info=info)
            self._derived[cache_key] = hkdf.derive(material)
        return self._derived[cache_key]

    def encryption_key(self, key_id: str, algorithm: str) -> bytes:
        return self.derive(key_id, algorithm, ENCRYPTION_INFO, KEY_BYTES[algorithm])

    def index_key(self, key_id: str, purpose: str) -> bytes:
        key = self._index_keys.get((key_id, purpose))
        if key is None:
            key = self.derive(key_id, self.algorithm, INDEX_INFO + purpose.encode(), 32)
            self._index_keys[key_id, purpose] = key
        return key

    def cipher(self, key_id: str, algorithm: str) -> "_Cipher":
        """The AEAD of one key, kept: setting up the key schedule for every value cost more
        than sealing it (bulk imports seal and open a few values per row)."""
        cache_key = (key_id, algorithm)
        cipher = self._ciphers.get(cache_key)
        if cipher is None:
            key = self.encryption_key(key_id, algorithm)
            cipher = AESGCM(key) if algorithm == "AES-256-GCM" else _Sm4Gcm(key)
            self._ciphers[cache_key] = cipher
        return cipher

    @functools.cached_property
    def header(self) -> str:
        """The header every token written now starts with, e.g. ``wh1:A:k2:``."""
        return f"{FORMAT_VERSION}:{ALGORITHM_IDS[self.algorithm]}:{self.current_id}:"


def _parse_key(position: int, entry: str) -> tuple[str, bytes]:
    key_id, separator, encoded = entry.strip().partition(":")
    if not separator:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS entry {position} has no key id: write it as 'id:base64key'."
        )
    if not _KEY_ID.fullmatch(key_id):
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS entry {position}: key id {key_id!r} must be 1–16 characters "
            "from A–Z, a–z, 0–9, '_' and '-'."
        )
    try:
        material = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        # Never echo the key material itself, not even in an error.
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS key {key_id!r} is not valid base64."
        ) from None
    if len(material) not in set(KEY_BYTES.values()):
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS key {key_id!r} has {len(material)} bytes; it must have 32 "
            "(AES-256-GCM) or 16 (SM4-GCM). Generate one with "
            '`python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"`.'
        )
    return key_id, material


@functools.lru_cache(maxsize=8)
def _build_keyring(entries: tuple[str, ...], algorithm: str) -> Keyring:
    if algorithm not in ALGORITHM_IDS:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_ALGORITHM is {algorithm!r}; it must be 'AES-256-GCM' or 'SM4-GCM'."
        )
    if not entries:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: set WARMHOME_FIELD_ENCRYPTION_KEYS to at least one "
            "'id:base64key'."
        )
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(entries, start=1):
        key_id, material = _parse_key(position, entry)
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS lists key id {key_id!r} twice.")
        keys[key_id] = material
    current_id = next(iter(keys))
    if len(keys[current_id]) != KEY_BYTES[algorithm]:
        raise ImproperlyConfigured(
            f"The current field encryption key {current_id!r} has {len(keys[current_id])} bytes; "
            f"{algorithm} needs {KEY_BYTES[algorithm]}."
        )
    return Keyring(algorithm=algorithm, keys=keys, current_id=current_id)


#: the keyring of the current settings, once read (an import asks for it a dozen times a row,
#: and each read of a setting costs about a microsecond)
_current: list[Keyring] = []


def keyring() -> Keyring:
    """The keyring of the current settings (raises ImproperlyConfigured if they are wrong)."""
    if not _current:
        entries = settings.FIELD_ENCRYPTION_KEYS
        if isinstance(entries, str):
            entries = [item for item in entries.split(",") if item.strip()]
        _current.append(_build_keyring(tuple(entries), settings.FIELD_ENCRYPTION_ALGORITHM))
    return _current[0]


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("FIELD_ENCRYPTION_"):
        _current.clear()


# --- Sealing ------------------------------------------------------------------------------


class _Cipher(Protocol):
    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


class _Sm4Gcm:
    """SM4-GCM with ``AESGCM``'s interface (ciphertext ‖ tag)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data or b"")
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        ciphertext, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(associated_data or b"")
        return decryptor.update(ciphertext) + decryptor.finalize()


def _seal(algorithm: str, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Ciphertext ‖ tag."""
    cipher = AESGCM(key) if algorithm == "AES-256-GCM" else _Sm4Gcm(key)
    return cipher.encrypt(nonce, plaintext, aad)


def _open(algorithm: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < TAG_BYTES:
        raise InvalidTag
    cipher = AESGCM(key) if algorithm == "AES-256-GCM" else _Sm4Gcm(key)
    return cipher.decrypt(nonce, sealed, aad)


def current_header() -> str:
    """The header every token written now starts with, e.g. ``wh1:A:k2:``."""
    return keyring().header


def encrypt(text: str) -> str:
    """Encrypt ``text`` under the current key; returns a self-describing token."""
    ring = keyring()
    header = ring.header
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(ring.current_id, ring.algorithm).encrypt(
        nonce, text.encode(), header.encode()
    )
    return header + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()


@dataclass(frozen=True)
class TokenInfo:
    algorithm: str
    key_id: str


def token_info(token: str) -> TokenInfo | None:
    """Algorithm and key of a token, or None if ``token`` is not one."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    return TokenInfo(algorithm=ALGORITHM_BY_ID[match.group(1)], key_id=match.group(2))


def decrypt(token: str) -> str:
    """Decrypt a token made by ``encrypt`` under any configured key; raises DecryptionError."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise DecryptionError("Not a WarmHome encrypted value (expected 'wh1:<alg>:<key>:…').")
    algorithm, key_id, body = ALGORITHM_BY_ID[match.group(1)], match.group(2), match.group(3)
    ring = keyring()
    if key_id not in ring.keys:
        raise DecryptionError(
            f"Encrypted with key {key_id!r}, which is not in FIELD_ENCRYPTION_KEYS; keep old keys "
            "configured until `warmhome crypto rotate` has re-encrypted everything."
        )
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("Encrypted value is not valid base64.") from None
    # Unused bits of the last base64 character would let two strings decode alike: refuse.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != body:
        raise DecryptionError(
            f"Encrypted value failed authentication under key {key_id!r}: its encoding was altered."
        )
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    header = token[: match.start(3)]
    try:
        if len(sealed) < TAG_BYTES:
            raise InvalidTag
        plaintext = ring.cipher(key_id, algorithm).decrypt(nonce, sealed, header.encode())
    except (InvalidTag, ValueError):
        raise DecryptionError(
            f"Encrypted value failed authentication under key {key_id!r}: it was altered or "
            "belongs to another key."
        ) from None
    return plaintext.decode()


# --- Blind indexes ------------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _normalise_citizen_id(text: str) -> str:
    from warmhome.core.identifiers import validate_citizen_id

    if len(text) == 18 and text.isascii() and text[:17].isdigit() and text[17] in "0123456789X":
        return text  # already what either branch below would give (bulk imports: 3 per row)
    try:
        return validate_citizen_id(text).value  # a 15-digit number finds its 18-digit form
    except ValidationError:
        return _compact(text)


def _normalise_mobile(text: str) -> str:
    from warmhome.core.identifiers import normalise_phone

    try:
        return normalise_phone(text)
    except ValidationError:
        return _compact(text)


#: how a value is normalised before indexing, per purpose; others are NFKC + stripped
INDEX_NORMALISERS: dict[str, Callable[[str], str]] = {
    "citizen_id": _normalise_citizen_id,
    "credit_code": _compact,
    "mobile": _normalise_mobile,
    "phone": _normalise_mobile,
}


def normalise_for_index(text: str, purpose: str) -> str:
    normaliser = INDEX_NORMALISERS.get(purpose)
    if normaliser is not None:
        return normaliser(text)
    return unicodedata.normalize("NFKC", text).strip()


def blind_index(text: str, purpose: str, *, key_id: str | None = None) -> str:
    """Keyed hash (64 hex characters) of the normalised ``text`` for exact look-up.

    Look up with ``Model.objects.filter(<index field>=blind_index(value, purpose))``.
    """
    return _blind_index(keyring(), text, purpose, key_id)


def _blind_index(ring: Keyring, text: str, purpose: str, key_id: str | None) -> str:
    key = ring.index_key(key_id or ring.current_id, purpose)
    message = normalise_for_index(text, purpose).encode()
    if ring.algorithm != "SM4-GCM":
        # the standard library's one-shot HMAC: the same bytes, a fifth of the time (imports)
        return hmac.digest(key, message, "sha256").hex()
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


def blind_index_candidates(text: str, purpose: str) -> list[str]:
    """The index of ``text`` under every configured key (current first), for ``__in`` look-ups
    while a key rotation is pending."""
    ring = keyring()
    return [
        _blind_index(ring, text, purpose, key_id)
        for key_id, material in ring.keys.items()
        if len(material) == KEY_BYTES[ring.algorithm]
    ]


def check_configuration() -> Sequence[str]:
    """Problems with the key settings, as operator messages (empty if none)."""
    try:
        keyring()
    except ImproperlyConfigured as error:
        return [str(error)]
    return []
