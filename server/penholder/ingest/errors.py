"""The one error an import raises: what is wrong with the file, in a sentence."""


class IngestError(ValueError):
    """The input cannot be read as a resolution or a proposal list."""


class UnsupportedFormat(IngestError):
    """The file is not one of the forms read here (text, Markdown, .docx, PDF): a legacy
    .doc, another zip archive, binary data. An upload answers 415 for it."""


class TooLarge(IngestError):
    """The file is over the size limit. An upload answers 413 for it."""
