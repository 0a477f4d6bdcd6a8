"""The one-year review's public questionnaire, reached through the private link the
prescriber received. It names the handover's reference and the site, never the person."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from forms.kinds.handover.review_forms import OneYearReviewForm
from forms.kinds.handover.reviews import open_review, save_answers
from portal.ratelimit import is_rate_limited


def _private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _invalid(request):
    return _private(TemplateResponse(request, "pages/one_year_review_invalid.html", status=404))


def _answered(request, review):
    return _private(
        TemplateResponse(request, "pages/one_year_review_answered.html", {"review": review})
    )


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def one_year_review_view(request, token):
    review = open_review(token)
    if review is None:
        return _invalid(request)
    if request.method == "POST":
        limit, period = settings.FORM_RATE_LIMIT
        if is_rate_limited(request, "review-post", limit, period):
            response = TemplateResponse(request, "forms/rate_limited.html", status=429)
            return _private(response)
    if review.answered_at:
        return _answered(request, review)
    form = OneYearReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if not save_answers(review, form.answers()):
            return _answered(request, review)  # answered meanwhile: the first answers stay
        return _private(redirect("one_year_review_thanks", token=token))
    response = TemplateResponse(
        request, "pages/one_year_review.html", {"review": review, "form": form}
    )
    return _private(response)


@require_http_methods(["GET", "HEAD"])
def one_year_review_thanks(request, token):
    review = open_review(token)
    if review is None:
        return _invalid(request)
    if not review.answered_at:
        return _private(redirect("one_year_review", token=token))
    return _private(
        TemplateResponse(request, "pages/one_year_review_thanks.html", {"review": review})
    )
