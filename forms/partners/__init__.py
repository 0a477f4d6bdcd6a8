"""Partner systems (other social-services software) that send prescriptions and follow
them through an API: their keys, the API itself, the webhooks that report each stage.

A layer above the kinds: it knows the engine and the prescription kind, and nothing
below it knows it.
"""
