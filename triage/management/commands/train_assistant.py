from django.core.management.base import BaseCommand, CommandError

from triage import assistant
from triage.services import assistant as assistant_service


class Command(BaseCommand):
    help = (
        "Train the assistant (a second opinion shown on the request page) on the requests "
        "whose bucket a recruiter confirmed, cross-validate it and make it the current one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-samples",
            type=int,
            default=assistant_service.DEFAULT_MIN_SAMPLES,
            help="Refuse to train on fewer decided requests than this "
            f"(default {assistant_service.DEFAULT_MIN_SAMPLES}).",
        )

    def handle(self, *args, min_samples: int, **options):
        if min_samples < 1:
            raise CommandError("--min-samples must be at least 1.")
        try:
            model = assistant_service.train_assistant(min_samples=min_samples)
        except assistant.NotEnoughSamples as refusal:
            raise CommandError(f"Not trained. {refusal}") from refusal
        counts = assistant_service.describe_counts(model.bucket_counts)
        self.stdout.write(f"Trained on {model.samples} decided requests ({counts}).")
        if model.cv_accuracy is None:
            self.stdout.write(f"Cross-validated accuracy: not measured. {model.cv_note}")
        else:
            self.stdout.write(
                f"Cross-validated accuracy ({model.cv_folds}-fold): {model.cv_accuracy:.1%}"
            )
        self.stdout.write(self.style.SUCCESS(f"Saved as assistant #{model.pk}: now in use."))
