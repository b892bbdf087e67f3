"""Third-party applications from PyPI, started on loopback for tests to run flows against."""
