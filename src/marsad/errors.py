"""One exception hierarchy for marsad."""


class MarsadError(Exception):
    """Base of every error marsad raises on purpose."""


class InputError(MarsadError):
    """An input that cannot become an article; ``reason`` is a short code stored with the failure."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class StoreError(MarsadError):
    """A store that cannot be opened or written (not SQLite, corrupt, disk full); the message says why."""


class PipelineError(MarsadError):
    """A pipeline whose stages do not fit together (a need no earlier stage adds)."""
