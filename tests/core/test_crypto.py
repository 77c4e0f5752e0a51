"""Field encryption and blind indexes, under AES-256-GCM and SM4-GCM."""

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.exceptions import ImproperlyConfigured

from warmhome.core import crypto

AES_KEY_1 = "k1:" + base64.b64encode(b"A" * 32).decode()
AES_KEY_2 = "k2:" + base64.b64encode(b"B" * 32).decode()
SM4_KEY_1 = "s1:" + base64.b64encode(b"C" * 16).decode()
SM4_KEY_2 = "s2:" + base64.b64encode(b"D" * 16).decode()
CITIZEN_ID = "370102198001011234"


@pytest.fixture(params=["AES-256-GCM", "SM4-GCM"])
def algorithm(request, settings) -> str:
    settings.FIELD_ENCRYPTION_ALGORITHM = request.param
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1] if request.param == "AES-256-GCM" else [SM4_KEY_1]
    return request.param


def _flip(token: str, position: int) -> str:
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


# --- Round trips and format -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["370102198001011234", "张秀梅", "", "a" * 5000, "家庭暴力 🏠"])
def test_round_trip(algorithm, text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_token_names_its_algorithm_and_key_and_hides_the_plaintext(algorithm):
    token = crypto.encrypt(CITIZEN_ID)

    expected_header = "wh1:A:k1:" if algorithm == "AES-256-GCM" else "wh1:S:s1:"
    assert token.startswith(expected_header)
    assert CITIZEN_ID not in token
    assert crypto.token_info(token) == crypto.TokenInfo(algorithm=algorithm, key_id=token[6:8])


def test_same_plaintext_encrypts_differently_each_time(algorithm):
    assert crypto.encrypt(CITIZEN_ID) != crypto.encrypt(CITIZEN_ID)


def test_sm4_gcm_matches_the_rfc_8998_test_vector():
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")

    sealed = crypto._seal("SM4-GCM", key, nonce, plaintext, aad)

    assert sealed.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"  # the tag
    )
    assert crypto._open("SM4-GCM", key, nonce, sealed, aad) == plaintext


def test_sm3_is_the_standard_hash():
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")

    assert digest.finalize().hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


# --- Tampering ------------------------------------------------------------------------------


def test_altered_ciphertext_fails_loudly(algorithm):
    token = crypto.encrypt(CITIZEN_ID)
    header_length = len(crypto.current_header())

    for position in (header_length, header_length + 20, len(token) - 1):
        with pytest.raises(crypto.DecryptionError, match="failed authentication"):
            crypto.decrypt(_flip(token, position))


def test_truncated_ciphertext_fails_loudly(algorithm):
    token = crypto.encrypt(CITIZEN_ID)

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token[:-8])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.current_header() + "AAAA")


def test_header_is_authenticated_so_a_token_cannot_be_moved_to_another_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1, AES_KEY_2]
    token = crypto.encrypt(CITIZEN_ID)

    with pytest.raises(crypto.DecryptionError, match="failed authentication under key 'k2'"):
        crypto.decrypt(token.replace("wh1:A:k1:", "wh1:A:k2:"))


def test_plaintext_or_garbage_is_not_taken_for_a_token(algorithm):
    for value in (CITIZEN_ID, "wh1:Z:k1:abc", "wh1:A:k1:"):
        with pytest.raises(crypto.DecryptionError, match="Not a WarmHome encrypted value"):
            crypto.decrypt(value)


# --- Keys: rotation configuration -------------------------------------------------------------


def test_old_key_still_decrypts_after_a_new_key_becomes_current(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    old_token = crypto.encrypt(CITIZEN_ID)

    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    assert crypto.decrypt(old_token) == CITIZEN_ID
    assert crypto.encrypt(CITIZEN_ID).startswith("wh1:A:k2:")


def test_old_aes_values_stay_readable_after_switching_to_sm4(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    old_token = crypto.encrypt(CITIZEN_ID)

    settings.FIELD_ENCRYPTION_ALGORITHM = "SM4-GCM"
    settings.FIELD_ENCRYPTION_KEYS = [SM4_KEY_1, AES_KEY_1]

    assert crypto.decrypt(old_token) == CITIZEN_ID
    assert crypto.encrypt(CITIZEN_ID).startswith("wh1:S:s1:")


def test_removed_key_gives_an_error_naming_it(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    token = crypto.encrypt(CITIZEN_ID)
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2]

    with pytest.raises(crypto.DecryptionError, match="key 'k1', which is not in"):
        crypto.decrypt(token)


def test_configured_key_is_never_used_directly(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    ring = crypto.keyring()

    encryption_key = ring.encryption_key("k1", "AES-256-GCM")
    index_keys = {ring.index_key("k1", purpose) for purpose in ("citizen_id", "mobile")}

    assert encryption_key != b"A" * 32
    assert len({encryption_key, *index_keys}) == 3


# --- Settings validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "algorithm", "message"),
    [
        ([], "AES-256-GCM", "FIELD_ENCRYPTION_KEYS is empty"),
        (["QUFBQUFB"], "AES-256-GCM", "entry 1 has no key id"),
        (["bad id:QUFB"], "AES-256-GCM", "key id 'bad id' must be"),
        (["k1:not base64!"], "AES-256-GCM", "key 'k1' is not valid base64"),
        (["k1:" + base64.b64encode(b"x" * 20).decode()], "AES-256-GCM", "has 20 bytes"),
        ([AES_KEY_1, AES_KEY_1], "AES-256-GCM", "lists key id 'k1' twice"),
        ([AES_KEY_1], "SM4-GCM", "current field encryption key 'k1' has 32 bytes; SM4-GCM needs"),
        ([SM4_KEY_1], "AES-256-GCM", "'s1' has 16 bytes; AES-256-GCM needs 32"),
        ([AES_KEY_1], "DES", "must be 'AES-256-GCM' or 'SM4-GCM'"),
    ],
)
def test_malformed_key_settings_are_refused_clearly(settings, keys, algorithm, message):
    settings.FIELD_ENCRYPTION_KEYS = keys
    settings.FIELD_ENCRYPTION_ALGORITHM = algorithm

    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        crypto.encrypt("x")
    assert crypto.check_configuration() == [str(caught.value)]


def test_error_messages_never_contain_key_material(settings):
    secret = base64.b64encode(b"s" * 20).decode()
    settings.FIELD_ENCRYPTION_KEYS = ["k1:" + secret]

    assert secret not in crypto.check_configuration()[0]


def test_keys_may_be_given_as_one_comma_separated_string(settings):
    settings.FIELD_ENCRYPTION_KEYS = f"{AES_KEY_2}, {AES_KEY_1}"

    assert crypto.keyring().current_id == "k2"
    assert list(crypto.keyring().keys) == ["k2", "k1"]


# --- Blind index ----------------------------------------------------------------------------


def test_blind_index_is_stable_and_normalised(algorithm):
    index = crypto.blind_index("11010519491231002X", "citizen_id")

    assert len(index) == 64
    assert crypto.blind_index("11010519491231002X", "citizen_id") == index
    assert crypto.blind_index(" 11010519491231002x ", "citizen_id") == index
    assert crypto.blind_index("110105491231002", "citizen_id") == index  # legacy 15 digits
    assert crypto.blind_index("11010519491231002Y", "citizen_id") != index


def test_blind_index_of_phones_ignores_formatting(algorithm):
    index = crypto.blind_index("13812345678", "mobile")

    assert crypto.blind_index("+86 138-1234-5678", "mobile") == index


def test_blind_index_differs_per_purpose(algorithm):
    assert crypto.blind_index("13812345678", "mobile") != crypto.blind_index(
        "13812345678", "citizen_id"
    )


def test_blind_index_depends_on_the_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    under_key_1 = crypto.blind_index(CITIZEN_ID, "citizen_id")

    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    assert crypto.blind_index(CITIZEN_ID, "citizen_id") != under_key_1
    assert crypto.blind_index(CITIZEN_ID, "citizen_id", key_id="k1") == under_key_1
    assert crypto.blind_index_candidates(CITIZEN_ID, "citizen_id")[1] == under_key_1


def test_blind_index_uses_sm3_under_sm4(settings):
    settings.FIELD_ENCRYPTION_ALGORITHM = "SM4-GCM"
    settings.FIELD_ENCRYPTION_KEYS = [SM4_KEY_1]
    ring = crypto.keyring()
    from cryptography.hazmat.primitives import hmac

    mac = hmac.HMAC(ring.index_key("s1", "citizen_id"), hashes.SM3())
    mac.update(CITIZEN_ID.encode())

    assert crypto.blind_index(CITIZEN_ID, "citizen_id") == mac.finalize().hex()


def test_candidates_skip_keys_of_the_other_algorithm(settings):
    settings.FIELD_ENCRYPTION_ALGORITHM = "SM4-GCM"
    settings.FIELD_ENCRYPTION_KEYS = [SM4_KEY_2, AES_KEY_1, SM4_KEY_1]

    assert len(crypto.blind_index_candidates(CITIZEN_ID, "citizen_id")) == 2


def test_the_keyring_read_once_follows_a_change_of_the_settings(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    before = crypto.encrypt("x")
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    assert before.startswith("wh1:A:k1:")
    assert crypto.encrypt("x").startswith("wh1:A:k2:")
    assert crypto.decrypt(before) == "x"
