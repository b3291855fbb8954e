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
    """A pipeline whose components do not fit together: a field required that no earlier
    component assigns, or one assigned twice without the later one declaring it refines it."""


class OptionsError(MarsadError, ValueError):
    """An option that names a variant that does not exist or cannot run here."""


class QueryError(MarsadError, ValueError):
    """A store query or search with a value the store cannot honour (an unknown order, a bad date,
    a limit out of range, a search with no words): the message says which and what is allowed."""
