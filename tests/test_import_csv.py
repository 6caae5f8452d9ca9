"""CSV import: every row checked first, a dry run writes nothing, a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from triage.models import CandidateRequest, Message

pytestmark = pytest.mark.django_db

GOOD = (
    "name,email,subject,message,received_at\n"
    'Ada Lovelace,Ada@Mail.example,Coffee?,"Could we talk, about Rust?",2025-03-03T09:15:00+00:00\n'
    "Lin Park,lin@mail.example,Hello,I write embedded C.,2025-03-04 10:00\n"
)
BAD = GOOD + (
    "No Mail,not-an-address,Hi,Something,2025-03-05T10:00:00Z\n"
    "Empty,empty@mail.example,Hi,,yesterday\n"
)


def run(tmp_path, text: str, *args: str) -> tuple[str, str]:
    path = tmp_path / "requests.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_csv", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_every_row_as_a_triaged_request(profile, tmp_path):
    out, _ = run(tmp_path, GOOD)

    assert out.strip() == "2 new, 0 duplicates"
    ada = CandidateRequest.objects.get(candidate__email="ada@mail.example")
    assert (ada.channel, ada.subject, ada.body) == (
        "import",
        "Coffee?",
        "Could we talk, about Rust?",
    )
    assert ada.received_at.isoformat() == "2025-03-03T09:15:00+00:00"
    assert ada.candidate.name == "Ada Lovelace"
    assert ada.messages.count() == 1


def test_running_the_import_twice_adds_nothing(profile, tmp_path):
    run(tmp_path, GOOD)

    out, _ = run(tmp_path, GOOD)

    assert out.strip() == "0 new, 2 duplicates"
    assert (CandidateRequest.objects.count(), Message.objects.count()) == (2, 2)


def test_a_dry_run_lists_every_row_error_and_writes_nothing(profile, tmp_path):
    out, err = run(tmp_path, BAD, "--dry-run")

    assert out.strip() == "Dry run: 2 rows ready, 2 with errors; nothing written."
    assert err.splitlines() == [
        "  line 4: email 'not-an-address' is not an address",
        "  line 5: message is empty; received_at 'yesterday' is not a date and time",
    ]
    assert not CandidateRequest.objects.exists()


def test_a_file_with_any_bad_row_imports_nothing(profile, tmp_path):
    with pytest.raises(CommandError, match="Fix the rows above"):
        run(tmp_path, BAD)

    assert not CandidateRequest.objects.exists()


def test_it_names_missing_columns(profile, tmp_path):
    _, err = run(tmp_path, "name,email\nAda,ada@mail.example\n", "--dry-run")

    assert "line 1: missing columns: subject, message, received_at" in err
    assert not CandidateRequest.objects.exists()


def bad_input_errors(tmp_path, text: str) -> list[str]:
    """Import `text` for real; return the error lines, having checked nothing was written."""
    out = StringIO()
    err = StringIO()
    path = tmp_path / "requests.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Fix the rows above"):
        call_command("import_csv", str(path), stdout=out, stderr=err)
    assert not CandidateRequest.objects.exists()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return err.getvalue().splitlines()


def test_an_impossible_date_is_an_error_on_its_line(profile, tmp_path):
    errors = bad_input_errors(
        tmp_path, GOOD + "Feb Thirty,feb@mail.example,Hi,Hello,2025-02-30T10:00:00Z\n"
    )

    assert errors == [
        "  line 4: received_at '2025-02-30T10:00:00Z' is not a date and time",
    ]


def test_a_field_over_128_kb_is_an_error_on_its_line(profile, tmp_path):
    huge = "x" * (128 * 1024 + 1)
    errors = bad_input_errors(tmp_path, GOOD + f"Big,big@mail.example,Hi,{huge},2025-03-05 10:00\n")

    assert errors == ["  line 4: a field is longer than 128 KB"]


def test_a_nul_character_is_an_error_on_its_line(profile, tmp_path):
    errors = bad_input_errors(
        tmp_path, GOOD + "Nul,nul@mail.example,Hi\x00there,Hello,2025-03-05 10:00\n"
    )

    assert errors == ["  line 4: subject contains a NUL character"]


def test_an_overlong_name_is_an_error_on_its_line(profile, tmp_path):
    errors = bad_input_errors(
        tmp_path, GOOD + f"{'N' * 201},long@mail.example,Hi,Hello,2025-03-05 10:00\n"
    )

    assert errors == ["  line 4: name is longer than 200 characters"]
