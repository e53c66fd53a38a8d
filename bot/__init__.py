"""Adapters around the engine: the command line (`cli`), the web service (`web`), the Webex chat bot (`chat`),
rendering (`render`) and the OCR reader for screenshots (`ocr`)."""
