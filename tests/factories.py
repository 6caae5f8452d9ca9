import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from triage import access
from triage.models import Candidate, CandidateRequest, ReplyTemplate
from triage.services import pool


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True  # the role hook saves what it changes

    username = factory.Sequence(lambda n: f"recruiter{n}")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """A recruiter unless the test says otherwise: `role=access.HIRING_MANAGERS`, or
        `role=""` for a user with no role at all. The group is looked up by name, since a
        transactional test's flush removes what the data migration created."""
        if create and extracted != "":
            group, _ = Group.objects.get_or_create(name=extracted or access.RECRUITERS)
            self.groups.add(group)


def hiring_manager(username: str, **fields):
    """A hiring manager who is not a recruiter."""
    return UserFactory(username=username, role=access.HIRING_MANAGERS, **fields)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        """`skills=["Rust"]`: a recruiter's tags, as rows."""
        if create and extracted:
            pool.set_skills(candidate=self, skills=list(extracted))


class CandidateRequestFactory(factory.django.DjangoModelFactory):
    """A request written straight to the table, as a test arranges it: the person's pool
    fields are worked out as intake's event would have them."""

    class Meta:
        model = CandidateRequest
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    received_at = factory.LazyFunction(timezone.now)
    suggested_bucket = "funnel"
    suggested_rule = "funnel_default"
    final_bucket = factory.SelfAttribute("suggested_bucket")
    reasons = factory.LazyFunction(list)

    @factory.post_generation
    def pool_fields(self, create, extracted, **kwargs):
        if create:
            pool.refresh([self.candidate_id])
            self.candidate.refresh_from_db()


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    bucket = "funnel"
    subject = "Re: {{ original_subject }}"
    body = "Hi {{ first_name|default:'there' }}"
