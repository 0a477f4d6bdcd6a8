from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from forms.engine.models.submission import Submission
from forms.engine.steps import make_step_form


def submitted_session_key(page, walk):
    """The session key remembering that this session sent this walk's answers."""
    return f"submitted_form_{page.pk}_{walk}"


def thanks_view(request, page, walk):
    """Shown after a submission; reachable only with the walk's unguessable token."""
    submission = Submission.objects.filter(walk_token=walk, form_page=page).first()
    if submission is None:
        raise Http404
    kind = page.kind_definition
    record = submission.record
    emailed = bool(record and kind.email_field and getattr(record, kind.email_field, ""))
    # The private follow link goes to the session that sent the answers, never to
    # whoever else holds the thank-you page's address.
    sender = request.session.get(submitted_session_key(page, walk))
    follow_url = kind.follow_url(record) if sender and record and kind.follow_url else ""
    response = TemplateResponse(
        request,
        "forms/thanks.html",
        {
            "page": page,
            "submission": submission,
            "handled_by": kind.handled_by(record) if record and kind.handled_by else "",
            "answers_in_email": emailed and kind.acknowledge_answers,
            "follow_url": request.build_absolute_uri(follow_url) if follow_url else "",
        },
    )
    add_never_cache_headers(response)
    return response


def preview_view(request, page):
    """The editor's preview: every step of the form, one after the other."""
    steps = [
        (
            step,
            make_step_form(step, page.kind_definition)(
                prefix=step.slug, user=request.user, page=page
            ),
        )
        for step in page.definition.steps
    ]
    return TemplateResponse(
        request,
        "forms/preview.html",
        {"page": page, "steps": steps, "problems": page.definition.problems()},
    )
