"""The public multi-step wizard of a form page (django-formtools, session storage).

Each walk through a form has its own token in the URL: two tabs started from
the form's address never share their answers, and the token makes submission
idempotent (one walk, at most one record).
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from content.models import MediationSite
from forms.access import is_site_staff
from forms.engine.fields import display_value, to_json
from forms.engine.models.submission import Submission
from forms.engine.steps import ReviewForm, make_step_form
from forms.engine.submission import Answer, RecordInvalid, submit
from forms.engine.views import submitted_session_key
from portal.ratelimit import is_rate_limited

WALK_RE = re.compile(r"^[0-9a-f]{32}$")
REVIEW_STEP = "verification"
DONE_STEP = "envoi"
RETURN_TO_REVIEW = "retour_verification"
PRESELECTED_SITE_PARAM = "lieu"  # ?lieu=<standard id>: the site chosen on the map


class KeepWalk(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Leave done() without the answers being forgotten (see render_done)."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class FormWizard(NamedUrlSessionWizardView):
    template_name = "forms/wizard_step.html"
    page = None
    walk = None

    # Set-up --------------------------------------------------------------
    @classmethod
    def build(cls, page):
        """Step forms and step conditions; built once per form definition."""
        definition = page.definition
        if definition.wizard_parts is None:
            definition.wizard_parts = cls._build(definition, page.kind_definition)
        return definition.wizard_parts

    @staticmethod
    def _build(definition, kind):
        form_list = [(step.slug, make_step_form(step, kind)) for step in definition.steps]
        form_list.append((REVIEW_STEP, ReviewForm))
        conditions = {
            step.slug: (lambda wizard, slug=step.slug: slug in wizard.visible_step_slugs())
            for step in definition.steps
            if step.condition
        }
        return form_list, conditions

    def get_prefix(self, request, *args, **kwargs):
        return f"form_{self.page.pk}_{self.walk}"

    def get_step_url(self, step):
        return self.page.url + self.page.reverse_subpage("wizard_step", args=(self.walk, step))

    @property
    def submitted_key(self):
        return submitted_session_key(self.page, self.walk)

    def thanks_url(self):
        return self.page.url + self.page.reverse_subpage("thanks", args=(self.walk,))

    # Answers kept per step (cleaned, JSON) ---------------------------------
    def stored_answers(self):
        return self.storage.extra_data.get("answers", {})

    def visible_step_slugs(self):
        """The steps shown, given the answers so far (an answer may hide a later step)."""
        if getattr(self, "_visible", None) is None:
            stored = self.stored_answers()
            answers, visible = {}, []
            for step in self.page.definition.steps:
                if step.condition is None or step.condition.is_met(answers):
                    visible.append(step.slug)
                    answers.update(
                        {name: item["value"] for name, item in stored.get(step.slug, {}).items()}
                    )
            self._visible = visible
        return self._visible

    def answers_before(self, step_slug):
        stored = self.stored_answers()
        answers = {}
        for slug in self.visible_step_slugs():
            if slug == step_slug:
                break
            answers.update({name: item["value"] for name, item in stored.get(slug, {}).items()})
        return answers

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step != REVIEW_STEP:
            kwargs.update(
                earlier_answers=self.answers_before(step), user=self.request.user, page=self.page
            )
        return kwargs

    def process_step(self, form):
        if self.steps.current != REVIEW_STEP:
            answers = self.storage.extra_data.get("answers", {})
            answers[self.steps.current] = {
                name: {
                    "label": form.definitions[name].label,
                    "value": to_json(value),
                    "display": display_value(form.fields[name], value),
                }
                for name, value in form.answers().items()
            }
            self.storage.extra_data = {
                **self.storage.extra_data,
                "answers": answers,
                "problems": [],
            }
            self._visible = None
        return super().process_step(form)

    # Flow ----------------------------------------------------------------
    def dispatch(self, request, *args, **kwargs):
        self.prefix = self.get_prefix(request)
        started = f"wizard_{self.prefix}" in request.session
        # A walk already sent (double click, refresh, back then resend) shows its
        # thank-you page. This session remembers it; another one asks the database.
        if request.session.get(self.submitted_key) or (
            not started and Submission.objects.filter(walk_token=self.walk).exists()
        ):
            return redirect(self.thanks_url())
        first = self.page.definition.steps[0].slug if self.page.definition.steps else None
        if not started and kwargs.get("step") != first:
            return expired_response(request, self.page)
        if request.method == "POST":
            limit, period = settings.FORM_RATE_LIMIT
            if is_rate_limited(request, "form-post", limit, period):
                return TemplateResponse(
                    request, "forms/rate_limited.html", {"page": self.page}, status=429
                )
        if not request.user.is_authenticated:
            # Unfinished answers are forgotten after a short inactivity period.
            request.session.set_expiry(settings.WIZARD_SESSION_AGE)
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] += ", no-store"
        return response

    def get_form_initial(self, step):
        initial = dict(super().get_form_initial(step))
        initial.update(self.storage.extra_data.get("initial", {}))
        return initial

    def remember_preselected_site(self, request):
        identifier = request.GET.get(PRESELECTED_SITE_PARAM, "")[:100]
        site = MediationSite.objects.published().filter(identifier=identifier).only("pk").first()
        if site:
            self.storage.extra_data = {**self.storage.extra_data, "initial": {"site": site.pk}}

    def remember_prefill(self, request):
        """Answers the kind already knows from the link that opened the form (a handover
        opened from its prescription), and where to return once it is sent."""
        prefill = self.page.kind_definition.prefill(request)
        if prefill is not None:
            initial = {**self.storage.extra_data.get("initial", {}), **prefill.initial}
            self.storage.extra_data = {
                **self.storage.extra_data,
                "initial": initial,
                "return_url": prefill.return_url,
                "done_message": str(prefill.done_message),
                "done_values": prefill.done_values,
            }

    def get(self, request, *args, **kwargs):
        if PRESELECTED_SITE_PARAM in request.GET:
            self.remember_preselected_site(request)
        if request.GET and self.page.kind_definition.prefill:
            self.remember_prefill(request)
        if kwargs.get("step") == DONE_STEP:
            return redirect(self.get_step_url(self.steps.current))
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        # A step that is not (or no longer) part of this walk cannot be posted to,
        # whatever the client sends.
        step = kwargs.get("step")
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if step not in self.get_form_list() or posted_step != step:
            return redirect(self.get_step_url(self.steps.current))
        return super().post(*args, **kwargs)

    def render_goto_step(self, goto_step, **kwargs):
        # "Previous" keeps what was typed on this step, even if not yet valid.
        current = self.steps.current
        if current != REVIEW_STEP:
            data = {
                key: value
                for key, value in self.request.POST.lists()
                if key.startswith(f"{current}-")
            }
            self.storage.set_step_data(current, data)
        return super().render_goto_step(goto_step, **kwargs)

    def render_next_step(self, form, **kwargs):
        if self.request.POST.get(RETURN_TO_REVIEW) and REVIEW_STEP in self.get_form_list():
            self.storage.current_step = REVIEW_STEP
            return redirect(self.get_step_url(REVIEW_STEP))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        # Submit on the final POST itself: a GET never creates a record.
        try:
            return WizardView.render_done(self, form, **kwargs)
        except KeepWalk as stop:
            # formtools forgets the walk after done(); a refused submission keeps it.
            return stop.response

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(
            self.request, _("Please check this step: an answer is missing or no longer valid.")
        )
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        answers = []
        for slug, form in form_dict.items():
            if slug == REVIEW_STEP:
                continue
            for name, value in form.answers().items():
                item = form.definitions[name]
                answers.append(
                    Answer(
                        name=name,
                        label=item.label,
                        value=value,
                        stored=to_json(value),
                        display=display_value(form.fields[name], value),
                        core=item.core,
                        step=slug,
                        consent_text=item.consent_text,
                    )
                )
        return_url = self.storage.extra_data.get("return_url")
        done_message = self.storage.extra_data.get("done_message")
        done_values = self.storage.extra_data.get("done_values", {})
        try:
            submission, _created = submit(self.page, self.walk, answers, user=self.request.user)
            self.request.session[self.submitted_key] = True
        except RecordInvalid as error:
            # A rule across answers given on different steps: nothing was saved; the
            # review step says what to fix, with a link to each step concerned.
            self.storage.extra_data = {
                **self.storage.extra_data,
                "problems": self.problems_with_links(error.problems),
            }
            self.storage.current_step = REVIEW_STEP
            raise KeepWalk(redirect(self.get_step_url(REVIEW_STEP))) from error
        if return_url:
            # Staff who opened the form from a record go back to it, not to the public page.
            if done_message:
                messages.success(
                    self.request, done_message % {**done_values, "reference": submission.reference}
                )
            return redirect(return_url)
        return redirect(self.thanks_url())

    def problems_with_links(self, problems):
        """[{message, links: [{title, url}]}]: each problem and the steps that hold its fields."""
        visible = self.visible_step_slugs()
        result = []
        for message, fields in problems:
            links = [
                {
                    "title": step.title,
                    "number": visible.index(step.slug) + 1,
                    "url": self.get_step_url(step.slug) + f"?{RETURN_TO_REVIEW}=1",
                }
                for step in self.page.definition.steps
                if step.slug in visible and any(item.name in fields for item in step.input_fields())
            ]
            result.append({"message": str(message), "links": links})
        return result

    # Display -------------------------------------------------------------
    def review_sections(self):
        stored = self.stored_answers()
        steps = {step.slug: step for step in self.page.definition.steps}
        return [
            {
                "title": steps[slug].title,
                "edit_url": self.get_step_url(slug) + f"?{RETURN_TO_REVIEW}=1",
                "answers": list(stored.get(slug, {}).values()),
            }
            for slug in self.visible_step_slugs()
        ]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        steps = {step.slug: step for step in self.page.definition.steps}
        current = self.steps.current
        context.update(
            page=self.page,
            step=steps.get(current),
            is_review=current == REVIEW_STEP,
            review_sections=self.review_sections() if current == REVIEW_STEP else None,
            review_problems=self.storage.extra_data.get("problems")
            if current == REVIEW_STEP
            else None,
            step_number=self.steps.step1,
            step_count=self.steps.count,
            return_to_review=self.request.GET.get(RETURN_TO_REVIEW)
            or self.request.POST.get(RETURN_TO_REVIEW),
            return_to_review_name=RETURN_TO_REVIEW,
            previous_step_url=self.get_step_url(self.steps.prev) if self.steps.prev else None,
        )
        return context


def expired_response(request, page):
    response = TemplateResponse(request, "forms/expired.html", {"page": page}, status=410)
    add_never_cache_headers(response)
    return response


def wizard_view(request, page, walk, step):
    if not WALK_RE.match(walk):
        raise Http404
    if page.kind_definition.staff_only and not is_site_staff(request.user):
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    if not page.definition.steps or page.definition.problem_list:
        return TemplateResponse(request, "forms/unavailable.html", {"page": page}, status=503)
    form_list, conditions = FormWizard.build(page)
    view = FormWizard.as_view(
        form_list=form_list,
        condition_dict=conditions,
        url_name="unused",
        done_step_name=DONE_STEP,
        page=page,
        walk=walk,
    )
    return view(request, step=step)
