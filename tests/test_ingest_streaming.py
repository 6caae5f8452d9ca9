"""An import of any size is read, parsed and written a bounded batch at a time: what is in
memory does not grow with the file, and every intake guarantee holds across the batches."""

import mailbox
from pathlib import Path

import pytest

from tests.test_threading import raw
from triage import bench, mail
from triage.models import Message, QuarantinedMessage
from triage.services import intake

pytestmark = pytest.mark.django_db

TRUTH = Path(__file__).parent / "data" / "truth"


def test_an_import_is_read_a_batch_at_a_time(profile, monkeypatch):
    monkeypatch.setattr(intake.batch, "READ_MESSAGES", 3)
    stored_when_read = []

    def sources():
        for n in range(9):
            stored_when_read.append(Message.objects.count())
            yield f"#{n}", raw(message_id=f"<m{n}@mail.example>", sender=f"p{n}@mail.example")

    summary = intake.ingest_sources(sources(), jobs=1)

    assert summary.new == 9
    # Messages 0-2 were stored before message 4 was read, 0-5 before message 7.
    assert stored_when_read == [0, 0, 0, 0, 3, 3, 3, 6, 6]


def test_every_guarantee_holds_across_read_batches(profile, monkeypatch):
    monkeypatch.setattr(intake.batch, "READ_MESSAGES", 2)
    broken = b"Subject: no sender here\n\nNo From header.\n"
    first = raw(message_id="<a@mail.example>", sender="a@mail.example")
    sources = [
        ("#0", first),
        ("#1", broken),
        ("#2", raw(message_id="<b@mail.example>", sender="b@mail.example")),
        ("#3", first),  # the same bytes again, in a later batch
        ("#4", raw(sender="c@mail.example", Auto_Submitted="auto-replied")),
        ("#5", broken),  # quarantined in an earlier batch of this import: a duplicate
        ("#6", raw(message_id="<a@mail.example>", sender="d@mail.example", subject="Other")),
    ]

    summary = intake.ingest_sources(sources, jobs=1)

    assert (summary.new, summary.duplicates, summary.already_kept_aside) == (3, 2, 0)
    assert summary.quarantined == [("#1", "no sender address in the From header")]
    assert [source for source, _ in summary.set_aside] == ["#4"]
    assert summary.shared_ids == [("#6", summary.shared_ids[0][1])]  # stored beside "#0"
    assert Message.objects.count() == 3 and QuarantinedMessage.objects.count() == 2
    # A second import finds both kept aside before it started.
    again = intake.ingest_sources(sources, jobs=1)
    assert (again.duplicates, again.already_kept_aside) == (7, 3)


def test_the_mbox_reader_gives_what_the_mailbox_module_gives(tmp_path):
    path = bench.write_mbox(tmp_path / "mix.mbox", 120)
    path.write_bytes(path.read_bytes() + b"From x\nSubject: last\n\nno blank line after")

    streamed = list(mail.mbox_messages(path))

    box = mailbox.mbox(path, factory=None, create=False)
    assert streamed == [box.get_bytes(key) for key in box.iterkeys()]
    assert len(streamed) == 121


def test_the_progress_total_is_counted_without_reading_the_messages(profile):
    folder = TRUTH / "sources" / "folder"

    assert mail.count_sources(folder) == len(list(mail.iter_sources(folder)))
    seen = []

    intake.ingest_paths([folder], jobs=1, progress=lambda done, total: seen.append((done, total)))

    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
