"""Matrix (Tchap): the homeserver the tests run against, and the transport (see docs/matrix.md)."""
