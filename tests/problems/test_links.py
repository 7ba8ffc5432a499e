import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enquiries import services as enquiry_services
from enquiries.models import Enquiry
from problems import services
from problems.models import KnownProblem, KnownProblemLink
from tests.factories import EnquiryFactory


def test_link_enquiries_links_each_once_and_records_who(problem, category, personas):
    agent = personas["agent"]
    enquiries = EnquiryFactory.create_batch(3, category=category)
    chosen = Enquiry.objects.filter(pk__in=[e.pk for e in enquiries])

    first = services.link_enquiries(problem, chosen, by=agent)
    again = services.link_enquiries(problem, chosen, by=agent)

    assert (first, again) == (3, 0)
    links = KnownProblemLink.objects.filter(problem=problem)
    assert sorted(links.values_list("enquiry_id", flat=True)) == sorted(e.pk for e in enquiries)
    assert set(links.values_list("linked_by", flat=True)) == {agent.pk}


def test_link_enquiries_skips_enquiries_the_user_may_not_see(problem, taxonomy, personas):
    # The agent works the support queue only.
    other_queue = next(q for code, q in taxonomy.items() if code != "support")
    hidden = EnquiryFactory(
        category=None, queue=other_queue, channel=other_queue.default_channel or "phone"
    )

    chosen = Enquiry.objects.filter(pk=hidden.pk)

    by_agent = services.link_enquiries(problem, chosen, by=personas["agent"])
    by_secretariat = services.link_enquiries(problem, chosen, by=personas["secretariat"])

    assert (by_agent, by_secretariat) == (0, 1)


def test_link_enquiries_refuses_a_role_without_the_permission(problem, category, personas):
    enquiry = EnquiryFactory(category=category)

    with pytest.raises(PermissionDenied):
        services.link_enquiries(
            problem, Enquiry.objects.filter(pk=enquiry.pk), by=personas["manager"]
        )


def test_link_enquiries_refuses_a_resolved_problem(problem, category, personas):
    KnownProblem.objects.filter(pk=problem.pk).update(status=KnownProblem.Status.RESOLVED)
    enquiry = EnquiryFactory(category=category)

    with pytest.raises(ValidationError) as error:
        services.link_enquiries(
            problem, Enquiry.objects.filter(pk=enquiry.pk), by=personas["agent"]
        )

    assert "problem" in error.value.message_dict
    assert not KnownProblemLink.objects.exists()


def test_unlink_enquiries_removes_only_the_chosen_links(problem, category, personas):
    agent = personas["agent"]
    keep, drop = EnquiryFactory.create_batch(2, category=category)
    services.link_enquiries(problem, Enquiry.objects.filter(pk__in=[keep.pk, drop.pk]), by=agent)

    removed = services.unlink_enquiries(problem, Enquiry.objects.filter(pk=drop.pk), by=agent)

    assert removed == 1
    assert list(problem.links.values_list("enquiry_id", flat=True)) == [keep.pk]


def test_registering_an_enquiry_links_it_to_auto_linking_problems(
    problem, category, support, personas
):
    quiet = KnownProblem.objects.create(title="Anden", description="x", category=category)
    problem.is_auto_link = True
    problem.save()

    enquiry = enquiry_services.register_enquiry(
        support, by=personas["agent"], subject="Kan kun aktivere netbank", category=category
    )

    assert list(enquiry.known_problems.all()) == [problem]
    link = enquiry.known_problem_links.get()
    assert link.linked_by is None
    assert not quiet.links.exists()


def test_registering_without_the_category_links_nothing(problem, support, personas):
    problem.is_auto_link = True
    problem.save()

    enquiry = enquiry_services.register_enquiry(support, by=personas["agent"], subject="Andet")

    assert not enquiry.known_problems.exists()
