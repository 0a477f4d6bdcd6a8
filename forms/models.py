# The form engine and its records arrive with the form-builder issue.
