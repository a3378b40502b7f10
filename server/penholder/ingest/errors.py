"""The one error an import raises: what is wrong with the file, in a sentence."""


class IngestError(ValueError):
    """The input cannot be read as a resolution or a proposal list."""
