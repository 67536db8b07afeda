"""What a framework may have built in: the vocabulary the catalogue and the quiz share.

A module of its own, outside ``fwpick.catalog``, so that the quiz (whose
questions every command's ``--help`` builds) names the features without
importing the catalogue's reader.
"""

# The features that count towards "batteries included": the components of an
# application.  Authorization and the four after background_tasks are read by
# the must-have question only, so that adding them left that criterion as it was.
BATTERIES = (
    "orm",
    "migrations",
    "admin",
    "auth",
    "forms",
    "sessions",
    "websockets",
    "validation",
    "openapi",
    "dependency_injection",
    "background_tasks",
)
# What a framework may have built in, each "yes", "extra" (an optional extra of
# the same distribution) or "no" (a separate project, if anything), in the
# order help texts and the catalogue list them.  The last four: an outgoing
# HTTP client (not a test client), routes and validation generated from an
# OpenAPI document written first, htmx helpers, and HTTP/2 from the built-in
# production server.
FEATURES = (
    *BATTERIES[:4],
    "permissions",
    *BATTERIES[4:],
    "http_client",
    "spec_first",
    "htmx",
    "http2",
)

__all__ = ["BATTERIES", "FEATURES"]
