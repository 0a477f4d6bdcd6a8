from django_tasks import task

from forms.notifications import notify_submission


@task()
def send_submission_emails(submission_id):
    """Acknowledgement to the person and notice to staff, after the record is committed."""
    notify_submission(submission_id)
