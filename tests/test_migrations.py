"""The migrations describe the models as they are: a change without its migration fails here."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as missing:
        pytest.fail(f"a model change has no migration (makemigrations --check exited {missing})")
